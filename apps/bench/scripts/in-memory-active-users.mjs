// Issue 14, option measurement (a prototype, not wired into the dashboard): an in-process
// columnar copy of the fact, as Power BI's import mode keeps one, answering exact active-user
// counts (distinct users do not add up across days) by one pass over the rows of the range.
//
//   node apps/bench/scripts/in-memory-active-users.mjs postgres://postgres@127.0.0.1:5432/<warehouse>
//
// Prints the load time and memory, then the median and worst of 7 runs per query, with the SQL
// answer of the same query beside the in-memory one (they must be equal).
import pg from 'pg';

const url = process.argv[2];
if (url === undefined) throw new Error('usage: in-memory-active-users.mjs <warehouse url>');
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('set jit = off');

const categoryColumns = {
  device: 'f.device_type',
  country: 'f.country_code',
  region: 'f.region',
  plan: 'u.plan',
  quality: 'f.quality',
  age_band: 'u.age_band',
  gender: 'u.gender',
  acquisition_channel: 'u.acquisition_channel',
  content_type: 'c.content_type',
  genre: 'c.primary_genre',
};
const names = Object.keys(categoryColumns);
const {
  rows: [bounds],
} = await client.query(
  `select count(*)::int as n, min(date_key) as first, max(date_key) as last from trusted.fact_viewing_session`,
);
const dayNumber = (key) =>
  Date.UTC(Math.floor(key / 10000), (Math.floor(key / 100) % 100) - 1, key % 100) / 86_400_000;
const firstDay = dayNumber(bounds.first);
const lastDay = dayNumber(bounds.last) - firstDay;

const day = new Uint16Array(bounds.n);
const user = new Uint32Array(bounds.n);
const codes = Object.fromEntries(names.map((name) => [name, new Uint8Array(bounds.n)]));
const dictionaries = Object.fromEntries(names.map((name) => [name, new Map()]));
const userIndex = new Map();
let rows = 0;
const loadStarted = performance.now();
// One month per query: rows arrive in day order, so a range is one slice of the arrays.
for (
  let month = new Date(
    Date.UTC(Math.floor(bounds.first / 10000), (Math.floor(bounds.first / 100) % 100) - 1, 1),
  );
  ;
) {
  const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
  const key = (date) =>
    date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
  if (key(month) > bounds.last) break;
  const result = await client.query({
    text: `select f.date_key, u.user_id, ${names.map((name) => categoryColumns[name]).join(', ')}
           from trusted.fact_viewing_session f
           join trusted.dim_user u on u.user_key = f.user_key
           join trusted.dim_content c on c.content_key = f.content_key
           where f.date_key >= $1 and f.date_key < $2 and u.user_key <> -1 order by f.date_key`,
    values: [key(month), key(next)],
    rowMode: 'array',
  });
  for (const row of result.rows) {
    day[rows] = dayNumber(row[0]) - firstDay;
    let index = userIndex.get(row[1]);
    if (index === undefined) userIndex.set(row[1], (index = userIndex.size));
    user[rows] = index;
    names.forEach((name, column) => {
      const dictionary = dictionaries[name];
      let code = dictionary.get(row[column + 2]);
      if (code === undefined) dictionary.set(row[column + 2], (code = dictionary.size));
      codes[name][rows] = code;
    });
    rows += 1;
  }
  month = next;
}
const loadMs = performance.now() - loadStarted;
const users = userIndex.size;

const lowerBound = (target) => {
  let low = 0;
  let high = rows;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (day[middle] < target) low = middle + 1;
    else high = middle;
  }
  return low;
};
const stamps = new Uint32Array(users);
let generation = 0;

/** Distinct users with a session in [from, to] (day numbers) passing `filters`, per value of `by`. */
function activeUsers({ from, to, filters, by }) {
  const start = lowerBound(from);
  const end = lowerBound(to + 1);
  // A mask per filtered column: one array read per row and filter instead of a set lookup.
  const masks = Object.entries(filters).map(([name, values]) => {
    const mask = new Uint8Array(256);
    for (const value of values) {
      const code = dictionaries[name].get(value);
      if (code !== undefined) mask[code] = 1;
    }
    return [codes[name], mask];
  });
  if (by === undefined) {
    generation += 1;
    let count = 0;
    rows: for (let row = start; row < end; row += 1) {
      for (const [column, mask] of masks) if (mask[column[row]] === 0) continue rows;
      const index = user[row];
      if (stamps[index] !== generation) {
        stamps[index] = generation;
        count += 1;
      }
    }
    return new Map([['', count]]);
  }
  const groups = codes[by];
  const seen = Array.from({ length: dictionaries[by].size }, () => new Uint8Array(users));
  const counts = new Uint32Array(dictionaries[by].size);
  rows: for (let row = start; row < end; row += 1) {
    for (const [column, mask] of masks) if (mask[column[row]] === 0) continue rows;
    const group = groups[row];
    const marks = seen[group];
    if (marks[user[row]] === 0) {
      marks[user[row]] = 1;
      counts[group] += 1;
    }
  }
  return new Map([...dictionaries[by]].map(([value, code]) => [value, counts[code]]));
}

async function sqlAnswer({ from, to, filters, by }) {
  const key = (dayIndex) => {
    const date = new Date((dayIndex + firstDay) * 86_400_000);
    return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
  };
  const values = [key(from), key(to)];
  const where = Object.entries(filters).map(([name, list]) => {
    values.push(list);
    return `${categoryColumns[name]} = any($${values.length})`;
  });
  const group = by === undefined ? `''` : categoryColumns[by];
  const started = performance.now();
  const result = await client.query({
    text: `select ${group} as value, count(distinct u.user_id)::int as users
           from trusted.fact_viewing_session f
           join trusted.dim_user u on u.user_key = f.user_key
           join trusted.dim_content c on c.content_key = f.content_key
           where f.date_key between $1 and $2 and u.user_key <> -1 ${where.map((w) => `and ${w}`).join(' ')}
           group by 1`,
    values,
  });
  return {
    ms: performance.now() - started,
    answer: new Map(result.rows.map((row) => [row.value, row.users])),
  };
}

const same = (a, b) =>
  [...new Set([...a.keys(), ...b.keys()])].every((k) => (a.get(k) ?? 0) === (b.get(k) ?? 0));

console.log(
  `loaded ${rows} sessions of ${users} users in ${(loadMs / 1000).toFixed(1)} s; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
);
const queries = [];
for (const days of [30, 90, 365]) {
  const from = lastDay - days + 1;
  queries.push(
    { label: `${days}d, no filter`, from, to: lastDay, filters: {} },
    { label: `${days}d, by region`, from, to: lastDay, filters: {}, by: 'region' },
    { label: `${days}d, by country`, from, to: lastDay, filters: {}, by: 'country' },
    {
      label: `${days}d, by age band, device=smart_tv & plan=basic_ads`,
      from,
      to: lastDay,
      filters: { device: ['smart_tv'], plan: ['basic_ads'] },
      by: 'age_band',
    },
    {
      label: `${days}d, by gender, genre=drama,comedy & acquisition_channel=organic`,
      from,
      to: lastDay,
      filters: { genre: ['drama', 'comedy'], acquisition_channel: ['organic'] },
      by: 'gender',
    },
  );
}
for (const query of queries) {
  const times = [];
  let answer;
  for (let run = 0; run < 7; run += 1) {
    const started = performance.now();
    answer = activeUsers(query);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const reference = await sqlAnswer(query);
  console.log(
    `| ${query.label} | ${times[3].toFixed(1)} | ${times[6].toFixed(1)} | ${reference.ms.toFixed(0)} | ${same(answer, reference.answer) ? 'equal' : 'DIFFERENT'} |`,
  );
}
await client.end();
