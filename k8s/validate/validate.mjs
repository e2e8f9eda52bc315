// Validates the manifests of k8s/ offline, the way the API server would see them:
//  - every file of k8s/ is a resource of kustomization.yaml and every resource is a file;
//  - every YAML document parses without errors or duplicate keys;
//  - every document is a known apiVersion/kind and passes that kind's JSON schema (kubernetes-models: types,
//    formats, required fields, generated from the Kubernetes OpenAPI specification);
//  - every document type-checks against that kind's TypeScript interface (the same specification), which rejects
//    unknown fields, which the JSON schemas accept.
// The same for each overlay of DIR (a subdirectory with a kustomization.yaml, such as k8s/autoscaling): its own files
// and its base's. (Its patches are not applied: they only remove fields.)
// Usage: node validate.mjs [DIR]   (DIR defaults to k8s/, the parent of this directory)

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const API_VERSION = /^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** The manifests kustomization.yaml lists: [{ file, index, doc }], plus errors about files and YAML. */
export function loadManifests(dir) {
  const errors = [];
  const kustomization = join(dir, 'kustomization.yaml');
  if (!existsSync(kustomization)) {
    return { entries: [], errors: [`${dir}: no kustomization.yaml`] };
  }
  const resources = parseFile(kustomization, errors)[0]?.doc?.resources ?? [];
  const yamlFiles = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
  for (const file of yamlFiles) {
    if (!resources.includes(file)) {
      errors.push(`${file}: not a resource of kustomization.yaml, so kubectl apply -k would leave it out`);
    }
  }
  const entries = [];
  for (const file of resources) {
    // An overlay (k8s/autoscaling) names its base directory: the base's documents are part of what it applies.
    if (existsSync(join(dir, file, 'kustomization.yaml'))) {
      const base = loadManifests(join(dir, file));
      entries.push(...base.entries);
      errors.push(...base.errors);
      continue;
    }
    if (!yamlFiles.includes(file)) {
      errors.push(`kustomization.yaml: resource ${file} is not a YAML file in ${dir}`);
      continue;
    }
    entries.push(...parseFile(join(dir, file), errors));
  }
  return { entries, errors };
}

function parseFile(path, errors) {
  const file = basename(path);
  const entries = [];
  parseAllDocuments(readFileSync(path, 'utf8'), { uniqueKeys: true }).forEach((document, index) => {
    for (const problem of [...document.errors, ...document.warnings]) {
      errors.push(`${file}#${index}: ${problem.message}`);
    }
    const doc = document.toJS();
    if (doc !== null && doc !== undefined) {
      entries.push({ file, index, doc });
    }
  });
  return entries;
}

function label({ file, index, doc }) {
  return `${file}#${index} (${doc?.kind ?? '?'} ${doc?.metadata?.name ?? '?'})`;
}

/** Where kubernetes-models keeps a kind: kubernetes-models/apps/v1/Deployment, kubernetes-models/v1/Service. */
function modelPath(doc) {
  if (typeof doc?.apiVersion !== 'string' || !API_VERSION.test(doc.apiVersion)
      || typeof doc?.kind !== 'string' || !KIND.test(doc.kind)) {
    return null;
  }
  const path = `kubernetes-models/${doc.apiVersion}/${doc.kind}`;
  try {
    require.resolve(path);
    return path;
  } catch {
    return null;
  }
}

/** JSON schema errors (types, formats, required fields) of each document, and unknown kinds. */
export async function schemaErrors(entries) {
  const errors = [];
  for (const entry of entries) {
    const path = modelPath(entry.doc);
    if (path === null) {
      errors.push(`${label(entry)}: unknown apiVersion/kind ${entry.doc?.apiVersion}/${entry.doc?.kind}`);
      continue;
    }
    const module = await import(path);
    try {
      new module[entry.doc.kind](entry.doc).validate();
    } catch (e) {
      errors.push(`${label(entry)}: ${e.message}`);
    }
  }
  return errors;
}

/**
 * Type-checks every document as an object literal of its kind's interface: TypeScript rejects unknown fields at any
 * depth (excess property checks), wrong types and missing required fields. Each property is put on its own line so
 * that a diagnostic's line gives the field's path.
 */
export function typeErrors(entries) {
  const lines = [];
  const paths = [];
  const owners = [];
  const imports = new Map();
  entries.forEach((entry, n) => {
    const path = modelPath(entry.doc);
    if (path === null) {
      return; // reported by schemaErrors
    }
    if (!imports.has(path)) {
      imports.set(path, `T${imports.size}`);
    }
    const start = lines.length;
    emit(entry.doc, '', `export const doc${n}: ${imports.get(path)} = `, ';', lines, paths);
    for (let i = start; i < lines.length; i++) {
      owners[i] = entry;
    }
  });
  const header = [...imports].map(([path, alias]) => {
    const kind = path.slice(path.lastIndexOf('/') + 1);
    return `import type { I${kind} as ${alias} } from ${JSON.stringify(path)};`;
  });
  const source = [...header, ...lines].join('\n');
  const fileName = join(here, '__manifests__.ts');
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => name === fileName
    ? ts.createSourceFile(name, source, version, true) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file?.fileName !== fileName) {
      return `TypeScript: ${message}`;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - header.length;
    const entry = owners[line];
    return entry ? `${label(entry)} ${paths[line] || '(document)'}: ${message}` : `TypeScript: ${message}`;
  });
}

/** Writes value as TypeScript, one property or array item per line, recording each line's field path. */
function emit(value, path, prefix, suffix, lines, paths) {
  const push = (text, at) => {
    lines.push(text);
    paths.push(at);
  };
  if (value === null || typeof value !== 'object') {
    push(prefix + JSON.stringify(value) + suffix, path);
    return;
  }
  const isArray = Array.isArray(value);
  const keys = Object.keys(value);
  if (keys.length === 0) {
    push(prefix + (isArray ? '[]' : '{}') + suffix, path);
    return;
  }
  push(prefix + (isArray ? '[' : '{'), path);
  keys.forEach((key) => {
    const at = isArray ? `${path}[${key}]` : (path ? `${path}.${key}` : key);
    emit(value[key], at, isArray ? '' : `${JSON.stringify(key)}: `, ',', lines, paths);
  });
  push((isArray ? ']' : '}') + suffix, path);
}

/** Every error of the manifests in dir; empty when they are valid. */
export async function validateDirectory(dir) {
  const { entries, errors } = loadManifests(dir);
  return { entries, errors: [...errors, ...await schemaErrors(entries), ...typeErrors(entries)] };
}

/** DIR and its overlays: the subdirectories of DIR that have a kustomization.yaml (k8s/autoscaling). */
export function kustomizations(dir) {
  return [dir, ...readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'kustomization.yaml')))
    .map((e) => join(dir, e.name))];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const models = require('kubernetes-models/package.json').version;
  let failed = false;
  for (const dir of kustomizations(resolve(process.argv[2] ?? join(here, '..')))) {
    const { entries, errors } = await validateDirectory(dir);
    for (const error of errors) {
      console.error(`k8s: ${dir}: ${error}`);
    }
    const files = new Set(entries.map((e) => e.file)).size;
    if (errors.length > 0) {
      console.error(`k8s: ${errors.length} problem(s) in ${dir}`);
      failed = true;
    } else {
      console.log(`k8s: ${dir}: ${entries.length} documents in ${files} files valid against the Kubernetes API`
        + ` schemas (kubernetes-models ${models}), no unknown fields`);
    }
  }
  process.exit(failed ? 1 : 0);
}
