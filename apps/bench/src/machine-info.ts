import { execFile } from 'node:child_process';
import { cpus, release, totalmem, type } from 'node:os';
import { promisify } from 'node:util';

import { MongoClient } from 'mongodb';

import type { MachineInfo } from './bench-report.ts';
import { withPool } from './with-pool.ts';

const run = promisify(execFile);

async function firstLine(command: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, [...args]);
    return (stdout || stderr).split('\n')[0]?.trim() ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** MongoDB's or FerretDB's version from `buildInfo` (FerretDB reports its own next to the MongoDB one it imitates). */
async function mongoVersion(url: string): Promise<string> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret = info['ferretdbVersion'] as unknown;
    return typeof ferret === 'string' ? `FerretDB ${ferret}` : `MongoDB ${String(info['version'])}`;
  } finally {
    await client.close();
  }
}

/** Cores, memory and the versions of everything measured, for the report's header. */
export async function machineInfo(options: {
  postgresUrl: string;
  mongoUrl: string;
}): Promise<MachineInfo> {
  const postgres = await withPool(options.postgresUrl, async (pool) => {
    const result = await pool.query<{ version: string }>('select version()');
    return (result.rows[0]?.version ?? 'unknown').split(' on ')[0] ?? 'unknown';
  });
  return {
    cores: cpus().length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    os: `${type()} ${release()}`,
    node: process.version,
    postgres,
    mongo: await mongoVersion(options.mongoUrl),
    pgloader: (await firstLine('pgloader', ['--version']))
      .replace(/^pgloader version\s*/, '')
      .replaceAll('"', ''),
  };
}
