// Prints the dashboard's queries as a Prometheus rule file (JSON, which is YAML), one recording rule per query, with
// Grafana's variables replaced by values Prometheus accepts, so that `promtool check rules` parses every query
// (prometheus/check runs it). Usage: node queries-as-rules.mjs switchboard.json > rules.json
import { readFileSync } from 'node:fs';

const dashboard = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rules = [];
const panels = (list) => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
for (const panel of panels(dashboard.panels)) {
  for (const target of panel.targets ?? []) {
    rules.push({
      record: `dashboard:panel_${panel.id}:${target.refId}`,
      expr: target.expr.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.+'),
    });
  }
}
if (rules.length === 0) {
  throw new Error('the dashboard has no queries');
}
console.log(JSON.stringify({ groups: [{ name: 'dashboard', rules }] }, null, 2));
