import v8 from 'node:v8';
const peaks: Record<string, number> = {};
let rssPeak = 0; let atPeak = '';
const t = setInterval(() => {
  const m = process.memoryUsage();
  const spaces = v8.getHeapSpaceStatistics();
  for (const s of spaces) peaks[s.space_name] = Math.max(peaks[s.space_name] ?? 0, s.space_used_size);
  if (m.rss > rssPeak) { rssPeak = m.rss; atPeak = spaces.filter((s) => s.space_used_size > 1e6).map((s) => `${s.space_name}:${(s.space_used_size / 1048576).toFixed(0)}/${(s.space_size / 1048576).toFixed(0)}`).join(' ') + ` ext:${(m.external / 1048576).toFixed(0)} ab:${(m.arrayBuffers / 1048576).toFixed(0)}`; }
}, 10);
t.unref();
process.on('exit', () => { console.error('rss peak', (rssPeak / 1048576).toFixed(0), 'at peak:', atPeak); console.error('space peaks', Object.entries(peaks).filter(([, v]) => v > 1e6).map(([k, v]) => `${k}:${(v / 1048576).toFixed(0)}`).join(' ')); });
