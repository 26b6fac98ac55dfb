import { Ajv, type ErrorObject } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { InvalidInput, NotFound } from './errors.js';

/**
 * Request validation: the route schemas (schemas.ts) compiled by Ajv. Bodies are validated as sent
 * (no type coercion: `"counter": true` is not a counter); the query string, path parameters and
 * headers are text, so numbers there are read as numbers (`?limit=20`). A failure becomes a
 * {@link InvalidInput} naming the field (`"amount" must be an integer from 1 to 9999999999999.`), or
 * a {@link NotFound} for a path parameter that cannot name anything.
 */
const options = { allErrors: false, verbose: true, strict: false, useDefaults: false, removeAdditional: false } as const;
const bodyAjv = new Ajv({ ...options, coerceTypes: false });
const textAjv = new Ajv({ ...options, coerceTypes: true });
// Our OpenAPI extension: the body is read as bytes, not validated (bank notifications: `RawNotificationBody`).
for (const ajv of [bodyAjv, textAjv]) ajv.addKeyword({ keyword: 'x-raw-body' });

export const validatorCompiler: FastifySchemaCompiler<Record<string, unknown>> = ({ schema, httpPart }) => {
  if (httpPart === 'body' && (schema as Record<string, unknown>)['x-raw-body']) return () => true;
  return (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
};

/** Error codes of header failures (a missing header has its own code, as before Fastify). */
const HEADER_ERRORS: Record<string, [code: string, message: string]> = {
  'idempotency-key': ['IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header of 8–200 printable ASCII characters.'],
};

type Schema = Record<string, unknown>;

/** What a schema expects, in words: "a string of 1–64 characters matching …", "an integer from 1 to 500". */
export function expectation(schema: Schema | undefined): string {
  if (!schema) return 'valid';
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) {
    const literals = alternatives.filter((alternative) => 'const' in alternative).map((alternative) => JSON.stringify(alternative.const));
    const others = alternatives.filter((alternative) => !('const' in alternative) && alternative.type !== 'null');
    return [...others.map(expectation), ...(literals.length ? [`one of ${literals.join(', ')}`] : [])].join(', or ');
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  switch (schema.type) {
    case 'string': {
      const length = schema.maxLength !== undefined ? ` of ${schema.minLength ?? 0}–${schema.maxLength} characters` : '';
      return `a string${length}${schema.pattern ? ` matching /${schema.pattern}/` : ''}`;
    }
    case 'integer':
      return `an integer from ${schema.minimum ?? 0} to ${schema.maximum ?? Number.MAX_SAFE_INTEGER}`;
    case 'array':
      return schema.maxItems !== undefined ? `a list of ${schema.minItems ?? 0}–${schema.maxItems} items` : `a list of at least ${schema.minItems ?? 0} items`;
    case 'object':
      return schema.minProperties !== undefined ? `an object of ${schema.minProperties}–${schema.maxProperties} entries` : 'an object';
    default:
      return `of type ${String(schema.type)}`;
  }
}

/** A field's name as messages show it: `answers.attitude`; characters that are not printable ASCII as `?`. */
const shown = (name: string) => name.slice(0, 64).replace(/[^\x20-\x7e]/g, '?');

/** Turns Fastify's validation failure (Ajv's errors, verbose) into the domain error the edge answers with. */
export function validationFailure(context: string, errors: ErrorObject[]): InvalidInput | NotFound {
  if (context === 'params') return new NotFound('Not found.');
  const { path, schema } = failedField(errors);
  const name = shown(path.join('.'));
  if (context === 'headers' && HEADER_ERRORS[name]) return new InvalidInput(...HEADER_ERRORS[name]);
  if (!name) return new InvalidInput('INVALID_FIELD', `The ${context === 'body' ? 'request body' : context} must be ${expectation(schema)}.`);
  return new InvalidInput('INVALID_FIELD', `"${name}" must be ${expectation(schema)}.`);
}

/** The field Ajv's (verbose) errors are about, as path segments, and the schema it failed. */
function failedField(errors: ErrorObject[]): { path: string[]; schema: Schema | undefined } {
  // Ajv lists a union's failed branches first, then the union: the last error speaks for the field.
  const error = errors[errors.length - 1]!;
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  let schema = error.parentSchema as Schema | undefined;
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    path.push(missing);
    schema = (schema?.properties as Record<string, Schema> | undefined)?.[missing];
  } else if (error.keyword === 'propertyNames') {
    path.push((error.params as { propertyName: string }).propertyName);
    schema = { type: 'string', ...(error.schema as Schema) };
  }
  return { path, schema };
}

/**
 * Checks a configuration value against its schema (the same Ajv, no coercion, as request bodies):
 * the value, or an `Error` naming the field as a path from `name` (`units[3].account.bin must be …`).
 */
export function checkConfig<T>(schema: TSchema, value: unknown, name: string): T {
  const validate = configValidators.get(schema) ?? bodyAjv.compile(schema);
  configValidators.set(schema, validate);
  if (validate(value)) return value as T;
  const { path, schema: failed } = failedField(validate.errors ?? []);
  const field = path.reduce((at, part) => (/^\d+$/.test(part) ? `${at}[${part}]` : `${at}.${part}`), name);
  throw new Error(`${field} must be ${expectation(failed)}`);
}
const configValidators = new WeakMap<TSchema, ReturnType<typeof bodyAjv.compile>>();
