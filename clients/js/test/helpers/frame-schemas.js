/**
 * Validates frames against the JSON Schemas of docs/asyncapi.yaml (components.schemas) with Ajv in draft-07 mode
 * (AsyncAPI 3 schemas are a draft-07 superset), plus ajv-formats for `format: date-time`.
 *
 * fake-server.js checks every frame the client sends on a fake WebSocket with `recordClientFrame`, and the real-node
 * tests every frame in both directions of a real WebSocket (`recordServerFrame` too); a frame that does not match the
 * schema of its `type` fails the test that sent or received it (the `afterEach` hook below), or, when it came after
 * its test ended, the file (the `after` hook).
 */
import { after, afterEach } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { frameCatalogue, jsonSchemaOf, readAsyncApi } from '../../scripts/generate-frame-types.mjs';

const SCHEMA_ID = 'asyncapi-schemas.json';

let validators = null;

function load() {
  const doc = readAsyncApi();
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema(jsonSchemaOf(doc, SCHEMA_ID));
  const catalogue = frameCatalogue(doc);
  const sideOf = (names) => {
    const byType = new Map();
    for (const name of names) {
      const type = doc.components.schemas[name]?.properties?.type?.const;
      if (typeof type !== 'string' || byType.has(type)) {
        throw new Error(`asyncapi: schema ${name} needs a unique properties.type.const`);
      }
      byType.set(type, { name, validate: ajv.getSchema(`${SCHEMA_ID}#/definitions/${name}`) });
    }
    return byType;
  };
  return { client: sideOf(catalogue.client), server: sideOf(catalogue.server) };
}

function validatorsOf(side) {
  validators ??= load();
  return validators[side];
}

/** Why `frame` is not a valid frame of that side ('client' or 'server'), or null when it is. */
export function frameErrors(frame, side = 'client') {
  const byType = validatorsOf(side);
  const entry = byType.get(frame?.type);
  if (!entry) {
    return `type ${JSON.stringify(frame?.type)} is not one of the ${side} frame types ${[...byType.keys()].join(', ')}`;
  }
  if (entry.validate(frame)) {
    return null;
  }
  return `not a valid ${entry.name}: ${entry.validate.errors
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`).join('; ')}`;
}

const invalid = [];

/** Checks a frame the client sent; an invalid one fails the current test once it ends. */
export function recordClientFrame(frame) {
  const errors = frameErrors(frame, 'client');
  if (errors) {
    invalid.push(`the client sent ${JSON.stringify(frame)}: ${errors}`);
  }
}

/** Checks a frame a real node sent (its text); an invalid one fails the current test once it ends. */
export function recordServerFrame(text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    invalid.push(`the node sent a frame that is not JSON: ${text}`);
    return;
  }
  const errors = frameErrors(frame, 'server');
  if (errors) {
    invalid.push(`the node sent ${text}: ${errors}`);
  }
}

function failOnInvalidFrames() {
  if (invalid.length > 0) {
    const lines = invalid.splice(0);
    throw new Error(`${lines.length} frame(s) that docs/asyncapi.yaml does not allow:\n${lines.join('\n')}`);
  }
}

afterEach(failOnInvalidFrames);
after(failOnInvalidFrames);
