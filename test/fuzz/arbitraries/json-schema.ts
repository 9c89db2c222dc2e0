/**
 * fast-check arbitraries from the JSON Schema of a zod schema, so the fuzzer
 * generates configs from each module's real config schema (and follows it
 * when a module changes) instead of from a hand-kept copy.
 */
import fc from 'fast-check';

/** The subset of JSON Schema (draft 2020-12, as `z.toJSONSchema` writes it) the generator reads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly default?: unknown;
}

export interface SchemaArbitraryOptions {
  /**
   * Strings that are not only valid for the schema but meaningful to the
   * module (SQL expressions, type names, column names): mixed into every
   * free-text string, so generated configs also pass the modules' semantic
   * checks often enough to reach the translator.
   */
  readonly vocabulary: readonly string[];
  /** A narrower vocabulary for the strings under a property of this name (`expression`: SQL). */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  /** Largest array generated where the schema sets no bound. */
  readonly maxItems?: number;
}

type Arb = fc.Arbitrary<unknown>;

function baseString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, 24);
  if (schema.pattern !== undefined) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((text) => text.length >= minLength && text.length <= maxLength);
  }
  if (schema.format === 'uri') return fc.webUrl({ validSchemes: ['https', 'http'] });
  if (schema.format === 'email') return fc.emailAddress();
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

/** The schema's own strings, with the vocabulary's words that fit the schema mixed in. */
function stringArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<string> {
  const base = baseString(schema);
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern);
  const fitting = options.vocabulary.filter(
    (word) =>
      word.length >= (schema.minLength ?? 0) &&
      word.length <= (schema.maxLength ?? Number.MAX_SAFE_INTEGER) &&
      (pattern === undefined || pattern.test(word)),
  );
  if (fitting.length === 0) return base;
  return fc.oneof({ arbitrary: fc.constantFrom(...fitting), weight: 20 }, { arbitrary: base, weight: 1 });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): Arb {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e9;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e9;
  if (integer) {
    return fc.integer({
      min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
      max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
    });
  }
  return fc.double({
    min,
    max,
    noNaN: true,
    noDefaultInfinity: true,
    minExcluded: schema.exclusiveMinimum !== undefined,
    maxExcluded: schema.exclusiveMaximum !== undefined,
  });
}

function objectArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions): Arb {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const under = (name: string): SchemaArbitraryOptions => {
    const vocabulary = options.fields?.[name];
    return vocabulary === undefined ? options : { ...options, vocabulary };
  };
  const fixed = fc.record(
    Object.fromEntries(names.map((name) => [name, schemaArbitrary(properties[name] ?? {}, under(name))])),
    { requiredKeys: names.filter((name) => schema.required?.includes(name)) },
  );
  const extra = schema.additionalProperties;
  if (names.length > 0 || extra === false || extra === undefined) return fixed;
  // A map (`z.record`): keys from propertyNames, values from additionalProperties.
  const keys = stringArbitrary(schema.propertyNames ?? {}, options);
  const values = extra === true ? fc.jsonValue({ maxDepth: 2 }) : schemaArbitrary(extra, options);
  return fc.dictionary(keys, values, { maxKeys: 4 });
}

function typedArbitrary(type: string, schema: JsonSchema, options: SchemaArbitraryOptions): Arb {
  switch (type) {
    case 'string':
      return stringArbitrary(schema, options);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schemaArbitrary(schema.items ?? {}, options), {
        minLength: schema.minItems ?? 0,
        maxLength: schema.maxItems ?? Math.max(schema.minItems ?? 0, options.maxItems ?? 3),
      });
    case 'object':
      return objectArbitrary(schema, options);
    default:
      throw new Error(`json-schema arbitrary: unsupported type ${type}`);
  }
}

/** Values that satisfy `schema` (as far as JSON Schema says; the modules' own checks may still refuse them). */
export function schemaArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions): Arb {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined)
    return fc.oneof(...alternatives.map((alt) => schemaArbitrary(alt, options)));
  const { type } = schema;
  if (type === undefined) {
    return schema.properties === undefined ? fc.jsonValue({ maxDepth: 2 }) : objectArbitrary(schema, options);
  }
  if (typeof type === 'string') return typedArbitrary(type, schema, options);
  return fc.oneof(...type.map((one) => typedArbitrary(one, schema, options)));
}
