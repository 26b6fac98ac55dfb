// What an adopter downloads: every workspace packed with `npm pack` (its `prepack` builds it), the
// tarballs installed into a fresh folder outside the repository, and the documented samples run from
// there — the README's script tag in Chromium, the Node and TypeScript imports (node16, nodenext and
// bundler resolution), the gateway's "Run it" block on PGlite — so a doc that drifts from the packages
// fails here. publint and arethetypeswrong check each tarball.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser, readQr, root, watchConsole } from './helpers.js';

const exec = promisify(execFile);
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const rootPackage = JSON.parse(read('package.json')) as { workspaces: string[]; devDependencies: Record<string, string> };

/** The fenced code blocks of a Markdown file in `language`, optionally only those under `heading`. */
function codeBlocks(file: string, language: string, heading?: string): string[] {
  let text = read(file);
  if (heading) {
    const start = text.indexOf(`\n${heading}\n`);
    assert.ok(start >= 0, `${file} has a "${heading}" section`);
    const level = heading.split(' ')[0]!;
    const rest = text.slice(start + heading.length + 2);
    const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
    text = end >= 0 ? rest.slice(0, end) : rest;
  }
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]!);
}

interface Packed {
  name: string;
  version: string;
  filename: string;
  files: Array<{ path: string }>;
}

let work = '';
let app = '';
let packed: Packed[] = [];

/** The documented samples, as files of the adopter's app (`samples/`). */
function writeSamples(): void {
  const samples = path.join(app, 'samples');
  mkdirSync(samples, { recursive: true });
  const [readmeCore] = codeBlocks('README.md', 'ts');
  const [coreReadme] = codeBlocks('packages/core/README.md', 'ts');
  const [gatewayReadme] = codeBlocks('packages/gateway/README.md', 'ts');
  const paymentBlocks = codeBlocks('packages/payment-widget/README.md', 'js');
  const [reactReadme] = codeBlocks('packages/react/README.md', 'tsx');
  // Only the names a sample leaves to the reader are declared here; everything it imports is real.
  writeFileSync(path.join(samples, 'readme-core.ts'), `const scannedText: string = 'not a VietQR';\n${readmeCore}`);
  writeFileSync(path.join(samples, 'core.ts'), `declare const vnpayText: string;\ndeclare const merchantQr: string;\n${coreReadme}`);
  writeFileSync(path.join(samples, 'gateway.ts'), gatewayReadme!);
  writeFileSync(
    path.join(samples, 'payment-widget.ts'),
    `declare function render(payment: unknown): void;\n${paymentBlocks.filter((block) => block.includes("from '@motcua") || block.startsWith('import ')).join('\n')}`,
  );
  writeFileSync(path.join(samples, 'react.tsx'), reactReadme!);
}

before(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'motcua-packages-'));
  assert.ok(path.relative(root, work).startsWith('..'), 'the adopter folder is outside the repository');
  const tarballs = path.join(work, 'tarballs');
  mkdirSync(tarballs);
  // Every workspace, with its lifecycle scripts: `prepack` builds what the tarball carries.
  const { stdout } = await exec('npm', ['pack', '--workspaces', '--json', '--pack-destination', tarballs], {
    cwd: root,
    maxBuffer: 64 << 20,
    timeout: 240_000,
  });
  packed = JSON.parse(stdout) as Packed[];
  app = path.join(work, 'app');
  mkdirSync(app);
  const dev = rootPackage.devDependencies;
  const dependencies: Record<string, string> = Object.fromEntries(packed.map((p) => [p.name, `file:../tarballs/${p.filename}`]));
  // What a TypeScript consumer of the React wrappers and the gateway has anyway.
  Object.assign(dependencies, { react: dev['react']!, '@types/react': dev['@types/react']!, '@types/node': dev['@types/node']! });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'adopter', private: true, type: 'module', dependencies }, null, 2));
  await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, timeout: 180_000 });
  writeSamples();
  // The samples that run, compiled once (nodenext, as a Node app would).
  writeFileSync(
    path.join(app, 'tsconfig.run.json'),
    JSON.stringify({
      compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], outDir: 'out', rootDir: 'samples' },
      files: ['samples/readme-core.ts', 'samples/gateway.ts'],
    }),
  );
  await exec(bin('tsc'), ['-p', 'tsconfig.run.json'], { cwd: app, timeout: 120_000 });
});

/** Free port on the loopback interface. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the published packages (npm pack of every workspace, installed outside the repository)', () => {
  it('should pack every workspace with its LICENSE, README, repository, homepage, bugs and engines, and no .tsbuildinfo', () => {
    assert.deepEqual(packed.map((p) => p.name).sort(), rootPackage.workspaces.map((dir) => JSON.parse(read(`${dir}/package.json`)).name).sort());
    for (const { name, files } of packed) {
      const paths = files.map((file) => file.path);
      assert.ok(paths.includes('LICENSE') && paths.includes('README.md'), `${name}: LICENSE and README.md`);
      assert.deepEqual(
        paths.filter((file) => file.endsWith('.tsbuildinfo')),
        [],
        `${name}: no .tsbuildinfo`,
      );
      const pkg = JSON.parse(readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8'));
      assert.equal(pkg.license, 'MIT');
      assert.match(pkg.repository?.url ?? '', /^git\+https:\/\//, `${name}: repository`);
      assert.ok(pkg.homepage && pkg.bugs?.url, `${name}: homepage and bugs`);
      assert.match(pkg.engines?.node ?? '', /\d/, `${name}: engines`);
    }
  });

  it('should carry motcua.js and its headless files in @motcua/counter-screen, pointed to by unpkg and jsdelivr', () => {
    const counter = packed.find((p) => p.name === '@motcua/counter-screen')!;
    const paths = counter.files.map((file) => file.path);
    for (const file of ['dist/cdn/motcua.js', 'dist/cdn/motcua-watch-payment.js', 'dist/cdn/motcua-submission-queue.js', 'dist/cdn/qr-counter-screen.js']) {
      assert.ok(paths.includes(file), `${file} is published`);
    }
    const pkg = JSON.parse(readFileSync(path.join(app, 'node_modules/@motcua/counter-screen/package.json'), 'utf8'));
    assert.equal(pkg.unpkg, './dist/cdn/motcua.js');
    assert.equal(pkg.jsdelivr, './dist/cdn/motcua.js');
  });

  it('should ship every built file the docs name (dist/… paths, CDN files by name)', () => {
    // What the READMEs and docs/ promise an adopter: `dist/…` paths (with the package when the text
    // names it, as `packages/core/dist/…` or `@motcua/core/dist/…`) and CDN files named alone
    // (`motcua-emv.js`, `/cdn/motcua.js`). Names with a wildcard (`qr-payment-*.js`) are patterns.
    const directories = Object.fromEntries(rootPackage.workspaces.map((dir) => [path.basename(dir), JSON.parse(read(`${dir}/package.json`)).name as string]));
    const shipped = packed.flatMap(({ name, files }) => files.map((file) => `${name}/${file.path}`));
    const docs = [
      'README.md',
      ...readdirSync(path.join(root, 'docs')).map((file) => `docs/${file}`),
      ...rootPackage.workspaces.map((dir) => `${dir}/README.md`),
    ].filter((file) => file.endsWith('.md'));
    const missing: string[] = [];
    let checked = 0;
    for (const doc of docs) {
      for (const [, token] of read(doc).matchAll(/`([^`\s]*?(?:dist\/[\w./-]+\.(?:js|json|d\.ts)|\b(?:motcua|qr)-[\w-]+\.js|\bmotcua\.js))`/g)) {
        if (/[*<{]/.test(token!)) continue;
        checked++;
        const dist = token!.match(/dist\/[\w./-]+$/)?.[0];
        const owner = token!.match(/(?:@motcua|packages)\/([\w-]+)\/dist\//)?.[1];
        const found = dist
          ? shipped.some((file) => file.endsWith(`/${dist}`) && (!owner || file.startsWith(`${directories[owner] ?? `@motcua/${owner}`}/`)))
          : shipped.some((file) => file.endsWith(`/dist/cdn/${path.basename(token!)}`));
        if (!found) missing.push(`${doc}: ${token}`);
      }
    }
    assert.ok(checked > 20, `${checked} file names read from the docs`);
    assert.deepEqual(missing, []);
  });

  it('should pass publint (strict) and arethetypeswrong (ESM-only profile) for every tarball', async () => {
    await Promise.all(
      packed.map(async ({ name, filename }) => {
        const tarball = path.join(work, 'tarballs', filename);
        const lint = await exec(bin('publint'), ['run', tarball, '--strict'], { timeout: 120_000 }).catch((error) => error);
        assert.match(lint.stdout, /All good!/, `publint ${name}:\n${lint.stdout}${lint.stderr}`);
        // ESM only by design (the READMEs say so): require() from CommonJS is not a supported entry.
        const types = await exec(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], { timeout: 120_000, maxBuffer: 64 << 20 }).catch(
          (error) => error,
        );
        assert.equal(types.code ?? 0, 0, `arethetypeswrong ${name}:\n${types.stdout}`);
      }),
    );
  });

  it('should type-check the documented imports with node16, nodenext and bundler resolution (TypeScript 7)', async () => {
    const compilerOptions = { strict: true, target: 'es2022', lib: ['es2022', 'dom', 'dom.iterable'], types: ['node'], jsx: 'react-jsx', noEmit: true };
    for (const [module, moduleResolution] of [
      ['node16', 'node16'],
      ['nodenext', 'nodenext'],
      ['esnext', 'bundler'],
    ]) {
      const config = path.join(app, `tsconfig.${moduleResolution}.json`);
      writeFileSync(config, JSON.stringify({ compilerOptions: { ...compilerOptions, module, moduleResolution }, include: ['samples'] }));
      const result = await exec(bin('tsc'), ['-p', config], { cwd: app, timeout: 120_000 }).catch((error) => error);
      assert.equal(result.code ?? 0, 0, `tsc (${moduleResolution}):\n${result.stdout}${result.stderr}`);
    }
  });

  it("should run the README's core sample in Node from the installed package", async () => {
    const { stdout } = await exec(process.execPath, [path.join(app, 'out', 'readme-core.js')], { cwd: app });
    // The sample decodes `scannedText` and prints the VietQRError's code and field.
    assert.match(stdout, /^[A-Z_]+ /);
    const core = (await import(pathToFileURL(path.join(app, 'node_modules/@motcua/core/dist/index.js')).href)) as typeof import('@motcua/core');
    assert.equal(core.decodeVietQR(core.encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000 })).amount, '50000');
  });

  it('should run the gateway README\'s "from code" sample in Node (PGlite in memory)', async () => {
    const result = await exec(process.execPath, [path.join(app, 'out', 'gateway.js')], {
      cwd: app,
      env: { PATH: process.env['PATH']! },
      timeout: 60_000,
    }).catch((error) => error);
    assert.equal(result.code ?? 0, 0, `${result.stdout}${result.stderr}`);
    // The gateway's own JSON log lines go to stdout too.
    assert.match(result.stdout, /^http:\/\/127\.0\.0\.1:\d+$/m, "it prints the gateway's URL");
  });

  it("should load the README's script tag from the tarball in Chromium: three elements, a QR that decodes, the headless files", async (t) => {
    const [html] = codeBlocks('README.md', 'html');
    const counterScreen = JSON.parse(readFileSync(path.join(app, 'node_modules/@motcua/counter-screen/package.json'), 'utf8')) as { version: string };
    // The documented CDN address, mapped onto the installed package (the version must match).
    const cdn = /https:\/\/cdn\.jsdelivr\.net\/npm\/(@motcua\/[a-z-]+)@([\d.]+)\/([^"]+)/;
    const [, name, range, file] = html!.match(cdn) ?? [];
    assert.equal(name, '@motcua/counter-screen', `the README's script tag loads ${html}`);
    assert.ok(counterScreen.version === range || counterScreen.version.startsWith(`${range}.`), `@${range} matches ${counterScreen.version}`);
    const src = html!.match(/<qr-payment src="([^"]+)"/)?.[1];
    assert.ok(src, 'the README shows <qr-payment src>');
    const core = (await import(pathToFileURL(path.join(app, 'node_modules/@motcua/core/dist/index.js')).href)) as typeof import('@motcua/core');
    const qr = core.encodeVietQR({ bin: '970415', account: '113366668888', amount: 50000, purpose: 'MC7K2Q9XA Le phi ho tich' });
    const payment = {
      id: 'pay_readme',
      code: 'MC7K2Q9XA',
      status: 'pending',
      amount: 50000,
      amountPaid: 0,
      currency: 'VND',
      qr,
      bank: { bin: '970415', account: '113366668888', accountName: 'UBND XA DONG TAM' },
      purpose: 'Le phi ho tich',
      dossier: '000.00.31.H26-250101-0001',
      counter: 'C1',
      expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      paidAt: null,
      version: 1,
    };
    const page = html!.replace(cdn, `/node_modules/${name}/${file}`);
    const server: Server = createServer((request, response) => {
      const url = decodeURIComponent(new URL(request.url!, 'http://x').pathname);
      if (url === '/')
        return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="vi"><body>${page}</body></html>`);
      if (url === src) return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payment));
      const local = path.join(app, url);
      if (!local.startsWith(path.join(app, 'node_modules') + path.sep)) return void response.writeHead(404).end();
      let body: Buffer;
      try {
        body = readFileSync(local);
      } catch {
        return void response.writeHead(404).end();
      }
      response.writeHead(200, { 'content-type': local.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const tab = await browser.newPage();
      const problems = watchConsole(tab);
      // The sample's counter screen names a gateway on the internet: answer it as unreachable.
      await tab.route(/^https:\/\//, (route) => route.abort());
      await tab.goto(`${origin}/`);
      await tab.waitForFunction(() => ['qr-payment', 'qr-survey', 'qr-counter-screen'].every((tag) => customElements.get(tag)));
      const frame = tab.locator('qr-payment [part="qr-frame"]');
      await frame.locator('[part="qr"]').waitFor();
      assert.equal(await readQr(frame), qr, "the QR <qr-payment> draws decodes to the payment's VietQR");
      const headless = await tab.evaluate(
        async (dir) => {
          const watch = (await import(`${dir}/motcua-watch-payment.js`)) as { watchPayment: unknown };
          const queue = (await import(`${dir}/motcua-submission-queue.js`)) as { SubmissionQueue: unknown };
          return [typeof watch.watchPayment, typeof queue.SubmissionQueue];
        },
        `/node_modules/${name}/${path.posix.dirname(file!)}`,
      );
      assert.deepEqual(headless, ['function', 'function']);
      assert.deepEqual(
        problems.filter((problem) => problem.startsWith('pageerror')),
        [],
      );
    } finally {
      await browser?.close();
      server.close();
    }
    t.diagnostic(`served from ${app}`);
  });

  it('should start the gateway with the "Run it" block of docs/deploying-gateway.md on PGlite, and stop cleanly on SIGTERM', async () => {
    const [block] = codeBlocks('docs/deploying-gateway.md', 'sh', '## Run it');
    const commands = block!
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    const env: Record<string, string> = { PATH: process.env['PATH']!, HOME: process.env['HOME'] ?? os.homedir() };
    const command: string[] = [];
    for (const line of commands) {
      const install = line.match(/^npm (?:i|install) (.+)$/);
      if (install) {
        for (const name of install[1]!.split(/\s+/))
          assert.ok(
            packed.some((p) => p.name === name),
            `${name} is one of the packages`,
          );
        continue;
      }
      const words = [...line.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)|(\S+)/g)];
      for (const [, key, value, word] of words) {
        if (key) env[key] = value!.startsWith('"') ? value!.slice(1, -1) : value === '…' ? `secret-${Math.random().toString(36).slice(2)}` : value!;
        else command.push(word!);
      }
    }
    assert.deepEqual(command, ['npx', 'motcua-gateway'], 'the sample runs the installed bin');
    // The documented variables, with a data folder and a port of this test's own.
    env['MOTCUA_DATA_DIR'] = path.join(work, 'gateway-data');
    const port = await freePort();
    env['PORT'] = String(port);
    // A process group of its own, stopped as systemd or a container runtime stops a service: SIGTERM
    // to every process in it (npx does not relay SIGTERM to the command it runs).
    const child = spawn(command[0]!, command.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Closed once every process writing to the pipes is gone: npx's child, the gateway, included.
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    let healthy = false;
    const deadline = Date.now() + 60_000;
    while (!healthy && child.exitCode === null && Date.now() < deadline) {
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!healthy) {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
      assert.fail(`the gateway did not answer /healthz:\n${output}`);
    }
    process.kill(-child.pid!, 'SIGTERM');
    // npx ends by the signal; the gateway itself must have stopped cleanly (streams ended, database closed).
    const { code, signal } = await closed;
    assert.ok(code === 0 || signal === 'SIGTERM', `npx ended with ${code ?? signal}:\n${output}`);
    assert.match(output, /"msg":"gateway stopped"/, `stops cleanly:\n${output}`);
    assert.ok(readdirSync(env['MOTCUA_DATA_DIR']).length > 0, 'PGlite wrote its data folder');
  });
});
