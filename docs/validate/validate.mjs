// Checks the machine-readable specifications with parsers of their own formats, offline:
//  - docs/asyncapi.yaml with @asyncapi/parser (AsyncAPI 3.0 schema, references, and the parser's own rules, which
//    also check every message example against its payload schema);
//  - docs/openapi.yaml with @apidevtools/swagger-parser (OpenAPI 3.1 schema, and every $ref resolved, including
//    those into asyncapi.yaml);
//  - every example in either file against the schema beside it, with Ajv (draft-07 for AsyncAPI's schemas, 2020-12
//    for OpenAPI 3.1's), since neither parser checks examples.
// Errors fail; the parsers' warnings fail too, so the files stay clean for the tools users point at them.
// Usage: node validate.mjs [DIR]   (DIR defaults to docs/, the parent of this directory)

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] ?? join(here, '..'));

/** Problems in docs/asyncapi.yaml, as `file:line: message` strings. */
export async function checkAsyncApi(path) {
  const { document, diagnostics } = await new Parser().parse(readFileSync(path, 'utf8'), { source: path });
  const problems = diagnostics
    .filter((d) => d.severity <= DiagnosticSeverity.Warning)
    .map((d) => `${path}:${(d.range?.start?.line ?? -1) + 1}: ${d.code}: ${d.message} (at ${d.path.join('.')})`);
  if (document === undefined && problems.length === 0) {
    problems.push(`${path}: the parser produced no document`);
  }
  if (document !== undefined) {
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    for (const message of document.allMessages()) {
      const validate = ajv.compile(message.payload().json());
      message.examples().all().forEach((example, i) => {
        if (!validate(example.payload())) {
          problems.push(`${path}: message ${message.id()} example ${i}: ${ajv.errorsText(validate.errors)}`);
        }
      });
    }
  }
  return { document, problems };
}

/** Every `example` of a media type in a dereferenced OpenAPI document, checked against its schema. */
function checkOpenApiExamples(path, api) {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  const problems = [];
  const visit = (node, where) => {
    if (node === null || typeof node !== 'object') {
      return;
    }
    if (node.schema !== undefined && node.example !== undefined && typeof node.schema === 'object') {
      const validate = ajv.compile(node.schema);
      if (!validate(node.example)) {
        problems.push(`${path}: example at ${where}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'schema') {
        visit(value, `${where}/${key}`);
      }
    }
  };
  visit(api.paths, '#/paths');
  return problems;
}

/** Problems in docs/openapi.yaml; an empty list when it is a valid OpenAPI 3.1 document. */
export async function checkOpenApi(path) {
  try {
    const api = await SwaggerParser.validate(path);
    const problems = checkOpenApiExamples(path, await SwaggerParser.dereference(path));
    if (!String(api.openapi).startsWith('3.1')) {
      problems.push(`${path}: openapi is ${api.openapi}, expected 3.1.x`);
    }
    return { api, problems };
  } catch (e) {
    return { api: undefined, problems: [`${path}: ${e.message}`] };
  }
}

const asyncApi = await checkAsyncApi(join(dir, 'asyncapi.yaml'));
const openApi = await checkOpenApi(join(dir, 'openapi.yaml'));
const problems = [...asyncApi.problems, ...openApi.problems];
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} problem(s) in the specifications`);
  process.exit(1);
}
const channels = asyncApi.document.channels().length;
const messages = asyncApi.document.allMessages().length;
const operations = Object.values(openApi.api.paths).reduce((n, item) => n + Object.keys(item)
  .filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).length, 0);
console.log(`asyncapi.yaml: AsyncAPI ${asyncApi.document.version()}, ${channels} channels, ${messages} messages: valid`);
console.log(`openapi.yaml: OpenAPI ${openApi.api.openapi}, ${operations} operations: valid`);
