import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Answerer } from '../../src/domain/answer.js';
import { chinaPlaces } from '../../src/domain/places/china.js';
import { type Labelled, readLabelled } from '../support/labelled.js';
import { gansuRoster } from '../support/roster.js';
import { score } from './evaluate.js';
import { benchFanout } from './fanout.js';
import { benchFlood } from './flood.js';
import { FuseBaseline } from './fuse-baseline.js';
import { maxRssMb, PeakRss, settledMemory } from './memory.js';
import { DEFAULT_QUERIES, nationalQueries } from './national-queries.js';
import { DEFAULT_NATIONAL, nationalRoster } from './national-roster.js';
import { benchProcessStartup } from './process-startup.js';
import { printReport, type Results } from './report.js';
import { benchSentences } from './sentences.js';
import { timeBuilds, timeCli, timeMs } from './startup.js';
import { section } from './table.js';
import { timeQueries } from './timing.js';

/**
 * `npm run bench`: accuracy, false positives, per-query latency, start-up time and memory of the
 * membership Answerer on the Gansu roster and on a synthetic national-size roster, side by side
 * with naive Fuse.js over the same names and queries. Prints one plain-text report to stdout;
 * progress goes to stderr.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const PROJECT_SET = join(ROOT, 'test', 'fixtures', 'membership-labelled.jsonl');
const SHARED_SET = join(ROOT, 'test', 'fixtures', 'membership-dev.jsonl');
const SENTENCE_SETS = [
  { name: 'labelled sentences', path: join(ROOT, 'test', 'fixtures', 'membership-sentences.jsonl') },
  { name: 'dev sentences', path: join(ROOT, 'test', 'fixtures', 'membership-sentences-dev.jsonl') },
  { name: 'second set (chat)', path: join(ROOT, 'test', 'fixtures', 'membership-sentences-b.jsonl') },
];

/** Timed rounds and time budgets: the whole bench stays well under two minutes on two cores. */
const ANSWERER_TIMING = { rounds: 5, budgetMs: 15_000 };
const FUSE_GANSU_TIMING = { rounds: 5, budgetMs: 10_000 };
/** Fuse scans every name per query (~3 ms over 1.6k names, ~18 s a round): two timed rounds at most. */
const FUSE_NATIONAL_TIMING = { rounds: 2, budgetMs: 25_000 };
const CLI_RUNS = 3;

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const began = process.hrtime.bigint();
  const peak = new PeakRss();
  const atStart = settledMemory();

  progress('start-up: place index, rosters, answerers');
  const placesMs = timeMs(() => chinaPlaces()).ms;
  const gansu = timeMs(() => gansuRoster());
  const gansuBuild = timeBuilds(() => new Answerer(gansu.value), 5);
  const national = timeMs(() => nationalRoster(DEFAULT_NATIONAL));
  const nationalLabels = timeMs(() => nationalQueries(national.value, DEFAULT_QUERIES));

  const beforeNational = settledMemory();
  const nationalFirst = timeMs(() => new Answerer(national.value.roster));
  const afterNational = settledMemory();
  const nationalAnswerer = nationalFirst.value;
  const nationalRepeat = timeBuilds(() => new Answerer(national.value.roster), 2).times;
  const gansuFuse = timeMs(() => new FuseBaseline(gansu.value));
  const nationalFuse = timeMs(() => new FuseBaseline(national.value.roster));

  const projectSet = readLabelled(PROJECT_SET);
  const sharedSet = existsSync(SHARED_SET) ? readLabelled(SHARED_SET) : [];
  const gansuMix: Labelled[] = [...projectSet, ...sharedSet];
  const gansuAnswerer = gansuBuild.value;
  const answerGansu = (q: string) => gansuAnswerer.answer(q);
  const answerNational = (q: string) => nationalAnswerer.answer(q);
  const fuseGansu = (q: string) => gansuFuse.value.answer(q);
  const fuseNational = (q: string) => nationalFuse.value.answer(q);

  progress(
    `scoring (and warming up) on ${gansuMix.length} Gansu and ${nationalLabels.value.length} national queries`,
  );
  const accuracy = {
    project: { answerer: score(projectSet, answerGansu), fuse: score(projectSet, fuseGansu) },
    shared: { answerer: score(sharedSet, answerGansu), fuse: score(sharedSet, fuseGansu) },
    national: {
      answerer: score(nationalLabels.value, answerNational),
      fuse: score(nationalLabels.value, fuseNational),
    },
  };

  progress('timing Answerer.answer');
  const gansuQueries = gansuMix.map((l) => l.q);
  const nationalQueryTexts = nationalLabels.value.map((l) => l.q);
  const gansuAnswererTiming = timeQueries(gansuQueries, answerGansu, { ...ANSWERER_TIMING, peak });
  const nationalAnswererTiming = timeQueries(nationalQueryTexts, answerNational, {
    ...ANSWERER_TIMING,
    peak,
  });
  progress('timing Fuse.js (national: the slow part, ~40 s)');
  const gansuFuseTiming = timeQueries(gansuQueries, fuseGansu, { ...FUSE_GANSU_TIMING, peak });
  const nationalFuseTiming = timeQueries(nationalQueryTexts, fuseNational, { ...FUSE_NATIONAL_TIMING, peak });
  const peakQueryRssMb = peak.mb;

  progress(`spawning the CLI ${CLI_RUNS} times`);
  const cli = timeCli(ROOT, '张掖中学', CLI_RUNS, '张掖中学');

  const results: Results = {
    environment: { node: process.version, platform: `${process.platform} ${process.arch}` },
    rosters: { gansu: gansu.value, national: national.value },
    labels: { project: projectSet, shared: sharedSet, national: nationalLabels.value },
    seeds: { roster: DEFAULT_NATIONAL.seed, queries: DEFAULT_QUERIES.seed },
    accuracy,
    latency: {
      gansuAnswerer: gansuAnswererTiming,
      nationalAnswerer: nationalAnswererTiming,
      gansuFuse: gansuFuseTiming,
      nationalFuse: nationalFuseTiming,
    },
    queries: { gansu: gansuQueries, national: nationalQueryTexts },
    startup: {
      placesMs,
      gansuRosterMs: gansu.ms,
      nationalRosterMs: national.ms,
      nationalQueriesMs: nationalLabels.ms,
      gansuAnswerer: gansuBuild.times,
      nationalAnswerer: { firstMs: nationalFirst.ms, medianMs: nationalRepeat.medianMs, repeats: 2 },
      gansuFuseMs: gansuFuse.ms,
      nationalFuseMs: nationalFuse.ms,
      cli,
    },
    memory: {
      atStart,
      beforeNational,
      afterNational,
      peakQueryRssMb,
      processMaxRssMb: maxRssMb(),
    },
    totalSeconds: Number(process.hrtime.bigint() - began) / 1e9,
  };
  printReport(results);
  process.stdout.write(
    `${benchSentences(
      {
        gansu: gansuAnswerer,
        national: nationalAnswerer,
        nationalRoster: national.value,
        bareGansu: gansuQueries,
        bareNational: nationalQueryTexts,
        sets: SENTENCE_SETS,
        peak,
      },
      progress,
    )}\n`,
  );

  process.stdout.write(
    `${section('9. Reminder fan-out to 1,301 groups (one tick, real SendQueue, fake Bot API with flood limits)')}\n`,
  );
  await benchFanout(progress);
  process.stdout.write(
    `${section('10. Flood fairness (one user floods, another asks; real bot polling the fake Bot API)')}\n`,
  );
  await benchFlood(progress);
  await benchProcessStartup(progress);
}

await main();
