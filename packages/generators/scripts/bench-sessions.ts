// Session hot-path throughput: `pnpm exec tsx scripts/bench-sessions.ts [sessions] [users] [titles]`.
import { FileSink } from '../src/file-sink.ts';
import { writeCatalogue } from '../src/write-catalogue.ts';
import { writeSessions } from '../src/write-sessions.ts';
import { writeUsers } from '../src/write-users.ts';

const [sessions = 1_000_000, users = 100_000, titles = 5_000] = process.argv.slice(2).map(Number);
const catalogue = await (async () => {
  const sink = new FileSink('/tmp/bench-content.json');
  const result = await writeCatalogue({ sink, seed: 1, titles });
  await sink.close();
  return result;
})();
const table = await (async () => {
  const sink = new FileSink('/tmp/bench-users.csv');
  const result = await writeUsers({ sink, seed: 1, users });
  await sink.close();
  return result;
})();
for (let run = 1; run <= 3; run++) {
  const sink = new FileSink('/tmp/bench-sessions.csv');
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await writeSessions({ sink, seed: run, sessions, users: table, catalogue });
  const digest = await sink.close();
  const wallS = (performance.now() - wall) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  process.stdout.write(
    `run ${run}: ${sessions} sessions, ${(digest.bytes / 1e6).toFixed(0)} MB, wall ${wallS.toFixed(2)} s = ${Math.round(sessions / wallS)} rows/s, cpu ${cpuS.toFixed(2)} s = ${Math.round(sessions / cpuS)} rows/cpu-s, maxRSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`,
  );
}
