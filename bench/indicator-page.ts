/**
 * Server render time of an indicator page: `app.request` 20× after a warm-up, median and p90,
 * on the full demo store. Run: npx tsx bench/indicator-page.ts [path ...]
 */
import { createApp } from '../src/api/app.ts';
import { mountWeb } from '../src/web/routes.ts';
import { buildFullDemoStore } from '../test/helpers/demo-store.ts';

const paths = process.argv.slice(2);
const targets = paths.length > 0 ? paths : ['/indikatoren/D6', '/indikatoren/D6?ebene=gemeinde'];
const deps = await buildFullDemoStore();
const app = createApp(deps, mountWeb);
for (const path of targets) {
  // The first request renders everything (charts, projected map paths); later ones hit caches.
  const c0 = performance.now();
  await (await app.request(path)).text();
  const cold = performance.now() - c0;
  for (let i = 0; i < 2; i++) await (await app.request(path)).text();
  const times: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const res = await app.request(path);
    bytes = (await res.text()).length;
    status = res.status;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = ((times[9] ?? 0) + (times[10] ?? 0)) / 2;
  console.log(
    `${path}: status ${status}, first ${cold.toFixed(1)} ms, median ${median.toFixed(1)} ms, p90 ${(times[17] ?? 0).toFixed(1)} ms, ${Math.round(bytes / 1024)} KB`,
  );
}
await deps.store.close();
