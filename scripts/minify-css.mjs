// The CDN build's minifier for the text of our own Lit `css` tagged templates (rollup.config.mjs):
// terser minifies code but leaves template text as it is, and the widgets' styles are ~30% of their
// minified size. Comments go, whitespace runs become one space, and none is kept beside `{ } ; , >`
// or after `:` (none of which a space changes the meaning of); quoted strings are left as they are,
// and a template with `${…}` is not touched. packages/payment-widget/test/cdn-build.node.test.ts
// checks that only whitespace and comments change.

/** Minifies one stylesheet's text. */
export function minifyCss(text) {
  const squeeze = (part) =>
    part
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,>]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}');
  const parts = text.replace(/\/\*[\s\S]*?\*\//g, '').split(/('[^'\n]*'|"[^"\n]*")/);
  return parts
    .map((part, i) => (i % 2 ? part : squeeze(part)))
    .join('')
    .trim();
}

/** Minifies every `css` tagged template without `${…}` in a module's code (tsc writes them `css \`…\``). */
export function minifyCssTemplates(code) {
  return code.replace(/\bcss\s*`([^`$]*)`/g, (_, text) => `css\`${minifyCss(text)}\``);
}
