// What each way of reading the catalogue's change markers costs on a MongoDB-wire server, twice:
//   pnpm exec tsx packages/extractor/bench/catalogue-read-costs.ts <mongodb-url> <database>
// (from the repository root; a database loaded by the bench's daily stage, e.g. rh_dbase_daily).
// It shows why the content stream reads the collection once: on FerretDB v1.24 every query but an
// `_id` equality decodes every document. Prints a Markdown table.
import { MongoClient, type Document } from 'mongodb';
import { z } from 'zod';

const [url, database] = z
  .tuple([z.string().startsWith('mongodb://'), z.string().min(1)])
  .parse(process.argv.slice(2));

const client = new MongoClient(url);
await client.connect();
try {
  const content = client.db(database).collection<Document & { _id: string }>('content');
  const markers = await content.find({}, { projection: { _change_seq: 1 } }).toArray();
  const newest = markers
    .map((document) => ({ id: document._id, seq: Number(document['_change_seq'] ?? 0) }))
    .sort((a, b) => b.seq - a.seq)
    .slice(0, 20);
  const cut = newest.at(-1)?.seq ?? 0;
  const ids = newest.map((document) => document.id);
  const readings: readonly (readonly [string, () => Promise<number>])[] = [
    ['`find({})`, every document', async () => (await content.find({}).toArray()).length],
    [
      '`find({}, {projection: {_id: 1, _change_seq: 1}})`',
      async () =>
        (await content.find({}, { projection: { _id: 1, _change_seq: 1 } }).toArray()).length,
    ],
    [
      `\`find({_change_seq: {$gte: …}})\` (${ids.length} newest)`,
      async () => (await content.find({ _change_seq: { $gte: cut } }).toArray()).length,
    ],
    [
      `\`find({_id: {$in: [${ids.length} ids]}})\``,
      async () => (await content.find({ _id: { $in: ids } }).toArray()).length,
    ],
    [
      `${ids.length} × \`find({_id: id})\``,
      async () => {
        let found = 0;
        for (const id of ids) found += (await content.find({ _id: id }).toArray()).length;
        return found;
      },
    ],
    ['`countDocuments({})`', () => content.countDocuments({})],
  ];
  console.log(
    `| query on \`content\` (${markers.length} documents) | documents | ms, pass 1 | ms, pass 2 |`,
  );
  console.log('|---|---:|---:|---:|');
  for (const [label, read] of readings) {
    const passes: number[] = [];
    let documents = 0;
    for (let pass = 0; pass < 2; pass += 1) {
      const started = performance.now();
      documents = await read();
      passes.push(Math.round(performance.now() - started));
    }
    console.log(`| ${label} | ${documents} | ${passes.join(' | ')} |`);
  }
} finally {
  await client.close();
}
