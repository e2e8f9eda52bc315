import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kustomizations, validateDirectory } from '../validate.mjs';

const k8s = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The errors of the manifests copied to a scratch directory, with edit(text) applied to one file. */
async function errorsAfter(file, edit) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-k8s-'));
  try {
    for (const name of readdirSync(k8s).filter((f) => f.endsWith('.yaml'))) {
      copyFileSync(join(k8s, name), join(dir, name));
    }
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
    return (await validateDirectory(dir)).errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function replaceOnce(text, from, to) {
  assert.ok(text.includes(from), `fixture: ${from} not found`);
  return text.replace(from, to);
}

test('the manifests are valid', async () => {
  const { entries, errors } = await validateDirectory(k8s);
  assert.deepEqual(errors, []);
  assert.ok(entries.length >= 15, `only ${entries.length} documents`);
});

test('an unknown field deep in a pod template is refused, with its path', async () => {
  const errors = await errorsAfter('edge.yaml', (t) => replaceOnce(t, '          readinessProbe:\n',
    '          readinessProbe:\n            initialDelay: 5\n'));
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /edge\.yaml#0 \(Deployment switchboard-edge\) spec\.template\.spec\.containers\[0\]\.readinessProbe\.initialDelay: .*initialDelay/);
});

test('a misspelt top-level field is refused', async () => {
  const errors = await errorsAfter('cluster-service.yaml', (t) => replaceOnce(t, 'spec:', 'specs:'));
  assert.ok(errors.some((e) => /cluster-service\.yaml#0 .*specs/.test(e)), errors.join('\n'));
});

test('a wrong type is refused', async () => {
  const errors = await errorsAfter('auth.yaml', (t) => replaceOnce(t, 'containerPort: 8080', 'containerPort: "8080"'));
  assert.ok(errors.some((e) => /auth\.yaml#0 .*containerPort must be integer/.test(e)), errors.join('\n'));
});

test('a missing required field is refused', async () => {
  const errors = await errorsAfter('presence.yaml', (t) => replaceOnce(t,
    '        - name: switchboard\n          image:', '        - image:'));
  assert.ok(errors.some((e) => /presence\.yaml#0 .*containers\/0 must have required property name/.test(e)),
    errors.join('\n'));
});

test('an unknown kind is refused', async () => {
  const errors = await errorsAfter('namespace.yaml', (t) => replaceOnce(t, 'kind: Namespace', 'kind: Namespaces'));
  assert.deepEqual(errors, ['namespace.yaml#0 (Namespaces switchboard): unknown apiVersion/kind v1/Namespaces']);
});

test('a duplicate key is refused', async () => {
  const errors = await errorsAfter('config.yaml', (t) => `${t}  SB_CLUSTER: "false"\n`);
  assert.ok(errors.some((e) => /config\.yaml#0: .*unique/i.test(e)), errors.join('\n'));
});

test('a manifest that kustomization.yaml leaves out is refused', async () => {
  const errors = await errorsAfter('kustomization.yaml', (t) => replaceOnce(t, '  - redis.yaml\n', ''));
  assert.deepEqual(errors, ['redis.yaml: not a resource of kustomization.yaml, so kubectl apply -k would leave it out']);
});

/** The errors of the autoscaling overlay, copied with its base to a scratch directory, with edit(text) applied. */
async function overlayErrorsAfter(file, edit) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-k8s-'));
  try {
    for (const name of readdirSync(k8s).filter((f) => f.endsWith('.yaml'))) {
      copyFileSync(join(k8s, name), join(dir, name));
    }
    mkdirSync(join(dir, 'autoscaling'));
    for (const name of readdirSync(join(k8s, 'autoscaling'))) {
      copyFileSync(join(k8s, 'autoscaling', name), join(dir, 'autoscaling', name));
    }
    const path = join(dir, 'autoscaling', file);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    return (await validateDirectory(join(dir, 'autoscaling'))).errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the autoscaling overlay is valid, with its base', async () => {
  assert.deepEqual(kustomizations(k8s), [k8s, join(k8s, 'autoscaling')]);
  const { entries, errors } = await validateDirectory(join(k8s, 'autoscaling'));
  assert.deepEqual(errors, []);
  const kinds = entries.map((e) => `${e.doc.kind} ${e.doc.metadata.name}`);
  assert.ok(kinds.includes('HorizontalPodAutoscaler switchboard-edge'), kinds.join('\n'));
  assert.ok(kinds.includes('Deployment switchboard-edge'), kinds.join('\n'));
});

test('the autoscaler is checked against autoscaling/v2', async () => {
  const misspelt = await overlayErrorsAfter('edge-autoscaler.yaml',
    (t) => replaceOnce(t, 'averageValue:', 'averageValues:'));
  assert.ok(misspelt.some((e) => /edge-autoscaler\.yaml#0 \(HorizontalPodAutoscaler switchboard-edge\) .*averageValues/
    .test(e)), misspelt.join('\n'));
  const wrongType = await overlayErrorsAfter('edge-autoscaler.yaml',
    (t) => replaceOnce(t, 'maxReplicas: 20', 'maxReplicas: "20"'));
  assert.ok(wrongType.some((e) => /edge-autoscaler\.yaml#0 .*maxReplicas/.test(e)), wrongType.join('\n'));
});
