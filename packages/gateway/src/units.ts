import { readFileSync } from 'node:fs';
import type { PaymentBank } from '@motcua/core';
import { type Static, Type } from 'typebox';
import { SCREEN_KEY_PATTERN } from './counter-screens.js';
import { InvalidInput, NotFound } from './errors.js';
import { ID_PATTERN, LINE_PATTERN } from './schemas.js';
import { checkConfig } from './validation.js';
import { parseWebhookEndpoints, type WebhookEndpoint } from './webhooks.js';

/**
 * Units: the communes, wards and agencies one deployment serves (a province), each with its own
 * collection account, counters, API keys, screen keys and webhooks. `MOTCUA_CONFIG` names a JSON file
 * of them ({@link UnitsFile}); without it, the env-only configuration is one implicit unit.
 */
export interface Unit {
  /** URL-safe id (`hang-gai`): in `/api/units/:unit/…`, in every webhook event, on every payment. */
  id: string;
  name: string;
  /** The collection account every QR of the unit points to; money into it is the unit's. */
  account: PaymentBank;
  /** Counter id → display name: the unit's counters, when it lists any (see {@link hasCounter}). */
  counters: Record<string, string>;
  /**
   * Any counter id is the unit's, listed or not: the implicit unit of the env configuration, whose
   * `MOTCUA_COUNTERS` only names the counters its screens show (as before units had counters).
   */
  anyCounter?: boolean;
  /** The unit's portal backend keys: they see and change the unit's data only. */
  apiKeys: string[];
  /** Counter id → the key of its paired citizen screen. */
  screenKeys: Record<string, string>;
  webhooks: WebhookEndpoint[];
}

/**
 * Whether `counter` is one of the unit's: a unit that lists counters has those only (an id of no
 * counter is a typo or another unit's, and would silently start a screen nobody watches); a unit that
 * lists none, and the implicit unit, take any id.
 */
export const hasCounter = (unit: Pick<Unit, 'counters' | 'anyCounter'>, counter: string): boolean =>
  unit.anyCounter === true || Object.hasOwn(unit.counters, counter) || Object.keys(unit.counters).length === 0;

/**
 * `UNKNOWN_COUNTER`, naming the counter and the unit: 400 for the `counter` field of a write (a payment,
 * a kiosk's rating), 404 for a counter path (`/api/units/:unit/counters/:counter…`).
 */
export function unknownCounter(unit: string, counter: string, where: 'field' | 'path'): InvalidInput | NotFound {
  const message = `Counter "${counter}" is not one of unit "${unit}"'s counters (MOTCUA_CONFIG lists them).`;
  return where === 'field' ? new InvalidInput('UNKNOWN_COUNTER', `"counter": ${message}`) : new NotFound(message, 'UNKNOWN_COUNTER');
}

/** Every unit, and the province keys (read every unit's reports, create nothing). */
export interface Units {
  units: Unit[];
  provinceKeys: string[];
}

const UNIT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
const API_KEY_PATTERN = '^[\\x21-\\x7e]{16,200}$';
const line = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, pattern: LINE_PATTERN, description });
const counterMap = <T extends ReturnType<typeof Type.String>>(value: T, description: string) =>
  Type.Record(Type.String(), value, { propertyNames: { pattern: ID_PATTERN }, description });

/** One unit of the `MOTCUA_CONFIG` file; more fields are allowed (and ignored). */
export const UnitConfig = Type.Object({
  id: Type.String({ pattern: UNIT_ID_PATTERN, description: 'Lower-case letters, digits and `-`, up to 63.' }),
  name: line(200, 'The unit’s name (reports).'),
  account: Type.Object({
    bin: Type.String({ pattern: '^[0-9]{6}$', description: 'The bank’s 6-digit BIN.' }),
    account: Type.String({ pattern: '^[A-Za-z0-9]{1,19}$', description: 'The account number.' }),
    accountName: Type.String({ minLength: 1, maxLength: 50, pattern: '^[\\x20-\\x7e]+$', description: 'As the bank holds it (ASCII).' }),
  }),
  counters: Type.Optional(counterMap(line(64, 'The counter’s display name.'), 'Counter id → display name.')),
  apiKeys: Type.Optional(Type.Array(Type.String({ pattern: API_KEY_PATTERN }), { description: '16–200 printable ASCII characters each.' })),
  screenKeys: Type.Optional(counterMap(Type.String({ pattern: SCREEN_KEY_PATTERN.source }), 'Counter id → its citizen screen’s key.')),
  webhooks: Type.Optional(Type.Array(Type.Object({ url: Type.String(), secret: Type.Union([Type.String(), Type.Array(Type.String())]) }))),
});

/** The `MOTCUA_CONFIG` file. */
export const UnitsFile = Type.Object({
  provinceKeys: Type.Optional(Type.Array(Type.String({ pattern: API_KEY_PATTERN }), { description: 'Read every unit’s reports; create nothing.' })),
  units: Type.Array(UnitConfig, { minItems: 1 }),
});
export type UnitsFile = Static<typeof UnitsFile>;

/** An account number as providers spell it, without spaces, dots or dashes: how transfers are matched to units. */
export const normalAccount = (account: string): string => account.replace(/[\s.-]/g, '');

/**
 * Checks a units file's content and returns its units. Throws naming the field (`units[3].account.bin
 * must be …`): a duplicate unit id, a key given twice (in two units, or a unit's and a province key),
 * two units on one account.
 */
export function parseUnits(value: unknown, name = 'MOTCUA_CONFIG'): Units {
  const file = checkConfig<UnitsFile>(UnitsFile, value, name);
  const units: Unit[] = file.units.map((unit, index) => ({
    id: unit.id,
    name: unit.name,
    account: { bin: unit.account.bin, account: unit.account.account, accountName: unit.account.accountName },
    counters: { ...unit.counters },
    apiKeys: [...(unit.apiKeys ?? [])],
    screenKeys: { ...unit.screenKeys },
    webhooks: parseWebhookEndpoints(`${name}.units[${index}].webhooks`, unit.webhooks ?? []),
  }));
  const provinceKeys = [...(file.provinceKeys ?? [])];
  checkUnits({ units, provinceKeys }, name);
  return { units, provinceKeys };
}

/** The rules across units (also for the implicit unit's env configuration): ids, keys and accounts each once. */
export function checkUnits({ units, provinceKeys }: Units, name: string): void {
  const ids = new Map<string, number>();
  const keys = new Map<string, string>();
  const accounts = new Map<string, number>();
  provinceKeys.forEach((key, index) => {
    if (keys.has(key)) throw new Error(`${name}.provinceKeys[${index}] is given twice`);
    keys.set(key, `provinceKeys[${index}]`);
  });
  units.forEach((unit, index) => {
    const at = `${name}.units[${index}]`;
    const sameId = ids.get(unit.id);
    if (sameId !== undefined) throw new Error(`${at}.id: "${unit.id}" is also the id of units[${sameId}]`);
    ids.set(unit.id, index);
    // Notifications name the account number, not the bank: the number alone must tell the unit.
    const account = normalAccount(unit.account.account);
    const sameAccount = accounts.get(account);
    if (sameAccount !== undefined)
      throw new Error(`${at}.account.account: ${account} is also the account of units[${sameAccount}]; each unit collects into its own`);
    accounts.set(account, index);
    unit.apiKeys.forEach((key, keyIndex) => {
      const other = keys.get(key);
      if (other) throw new Error(`${at}.apiKeys[${keyIndex}] is also ${other}: a key belongs to one unit`);
      keys.set(key, `units[${index}].apiKeys[${keyIndex}]`);
    });
  });
}

/** Reads and checks the `MOTCUA_CONFIG` file; a missing file or bad JSON stops start-up with the path. */
export function loadUnitsFile(file: string): Units {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`MOTCUA_CONFIG: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`MOTCUA_CONFIG: ${file} is not JSON (${(error as Error).message})`);
  }
  return parseUnits(value);
}
