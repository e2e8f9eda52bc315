/**
 * The TypeScript types of the frames agree with docs/asyncapi.yaml:
 *   - frames.d.ts is exactly what scripts/generate-frame-types.mjs generates from the spec now;
 *   - index.d.ts, frames.d.ts and test/types/frames-agree.ts (type-level checks that index.d.ts's client-level types
 *     match the generated frame types) compile with no diagnostic in strict mode;
 *   - index.d.ts re-exports every generated type and declares none of their names itself.
 * (The frames the client sends in the other tests are checked against the spec's schemas by helpers/fake-server.js.)
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  ASYNCAPI_FILE, FRAMES_FILE, GENERATED_FILES, NAMES_DECLARED_BY_INDEX, generateFrameTypes, readAsyncApi,
} from '../scripts/generate-frame-types.mjs';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const INDEX_FILE = fileURLToPath(new URL('../index.d.ts', import.meta.url));
const TSCONFIG_FILE = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
const REGENERATE = 'run `npm run generate:types` in clients/js';

test('the frame types are what docs/asyncapi.yaml generates', async () => {
  const expected = await generateFrameTypes(readAsyncApi(ASYNCAPI_FILE));
  assert.deepEqual([...expected.keys()], GENERATED_FILES);
  for (const [name, text] of expected) {
    const file = join(PACKAGE_DIR, name);
    assert.ok(existsSync(file), `${name} is missing: ${REGENERATE}`);
    const actual = readFileSync(file, 'utf8');
    if (actual !== text) {
      const want = text.split('\n');
      const have = actual.split('\n');
      const line = want.findIndex((wanted, i) => wanted !== have[i]);
      const at = line < 0 ? have.length : line;
      assert.fail(`${name} is out of date with docs/asyncapi.yaml (or was edited by hand): ${REGENERATE}.\n`
        + `First difference at line ${at + 1}:\n  ${name}: ${JSON.stringify(have[at] ?? '(end of file)')}\n`
        + `  generated: ${JSON.stringify(want[at] ?? '(end of file)')}`);
    }
  }
});

test('generating frame types is deterministic', async () => {
  const doc = readAsyncApi(ASYNCAPI_FILE);
  assert.deepEqual(await generateFrameTypes(doc), await generateFrameTypes(doc));
});

/** The program of test/types/tsconfig.json (strict), and its diagnostics. */
function compileTypes() {
  const configErrors = [];
  const config = ts.getParsedCommandLineOfConfigFile(TSCONFIG_FILE, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic),
  });
  const program = config && ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const diagnostics = [...configErrors, ...(config?.errors ?? []), ...(program ? ts.getPreEmitDiagnostics(program) : [])];
  return { config, program, diagnostics };
}

/** `file(line,col): message`, then the offending source line. */
function describeDiagnostic(diagnostic) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  if (!diagnostic.file || diagnostic.start === undefined) {
    return `error TS${diagnostic.code}: ${message}`;
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const source = diagnostic.file.text.split('\n')[line].trim();
  return `${relative(PACKAGE_DIR, diagnostic.file.fileName)}(${line + 1},${character + 1}): error TS${diagnostic.code}: `
    + `${message}\n    > ${source}`;
}

let compiled;
const types = () => (compiled ??= compileTypes());

test('index.d.ts agrees with the generated frame types (tsc --strict over test/types/frames-agree.ts)', () => {
  const { config, diagnostics } = types();
  assert.ok(config, 'test/types/tsconfig.json could not be read');
  assert.equal(config.options.strict, true, 'test/types/tsconfig.json must be strict');
  const roots = config.fileNames.map((file) => relative(PACKAGE_DIR, file)).sort();
  assert.deepEqual(roots, ['building-blocks.d.ts', ...GENERATED_FILES, 'index.d.ts', 'test/types/frames-agree.ts']
    .sort());
  if (diagnostics.length > 0) {
    const text = diagnostics.map(describeDiagnostic).join('\n');
    assert.fail(`the TypeScript types disagree (${diagnostics.length} diagnostic(s)). If docs/asyncapi.yaml changed, `
      + `${REGENERATE}; then make index.d.ts say what the server sends.\n${text}`);
  }
});

test('index.d.ts re-exports every generated type, and declares none of their names itself', () => {
  const { program } = types();
  const checker = program.getTypeChecker();
  const exportsOf = (file) => {
    const source = program.getSourceFile(file);
    assert.ok(source, `${file} is not in the program`);
    return new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(source)).map((s) => [s.name, s]));
  };
  const generated = exportsOf(FRAMES_FILE);
  const index = exportsOf(INDEX_FILE);
  assert.ok(generated.has('ServerFrame') && generated.has('ClientFrame'), 'frames.d.ts lacks ServerFrame/ClientFrame');
  for (const name of generated.keys()) {
    const symbol = index.get(name);
    assert.ok(symbol, `index.d.ts does not export ${name} from frames.d.ts (export * from './frames.js')`);
    const files = (symbol.declarations ?? []).map((d) => d.getSourceFile().fileName);
    assert.ok(files.every((file) => GENERATED_FILES.includes(relative(PACKAGE_DIR, file))),
      `index.d.ts declares ${name} itself, hiding the generated ${name}: add '${name}' to NAMES_DECLARED_BY_INDEX `
      + `in scripts/generate-frame-types.mjs (then it is generated as Wire${name}) and ${REGENERATE}`);
  }
  for (const name of NAMES_DECLARED_BY_INDEX) {
    assert.ok(generated.has(`Wire${name}`), `frames.d.ts lacks Wire${name}`);
    assert.ok(index.has(name), `index.d.ts no longer exports ${name}`);
  }
});
