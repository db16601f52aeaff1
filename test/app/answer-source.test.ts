import { describe, expect, it } from 'vitest';
import { AnswerService } from '../../src/app/answer-service.js';
import { importRoster } from '../../src/app/roster-import.js';
import { systemClock } from '../../src/clock.js';
import { sqlitePorts } from '../../src/db/ports.js';
import { RosterStore } from '../../src/db/roster-store.js';
import { seededMemoryDb } from '../support/db.js';
import { CN_HEADER, csvText, gansuRows, utf8 } from '../support/roster-files.js';

/** 2026-11-30 10:00 in China (02:00 UTC). */
const IMPORTED_AT = Date.UTC(2026, 10, 30, 2, 0);

describe('answers name their source', () => {
  it('a unit of the notice cites the notice; a unit added by an import cites that import', async () => {
    const db = seededMemoryDb();
    try {
      const answers = new AnswerService(new RosterStore(db));
      const notice = answers.answer('张掖中学是试点吗');
      expect(notice.verdict).toBe('pilot');
      expect(notice.reply).toContain('依据：甘青科发〔2022〕5号');

      const rows = [...gansuRows(), ['甘肃省', '兰州市', '兰州市第一中学', '学校', '城关区', '', '']];
      const outcome = await importRoster(
        sqlitePorts(db, { ...systemClock, now: () => IMPORTED_AT }),
        utf8(csvText(CN_HEADER, rows)),
        '兰州补充名单.csv',
        {
          apply: true,
        },
      );
      expect(outcome.applied).toBe(true);

      const added = answers.answer('兰州市第一中学是试点吗');
      expect(added.verdict).toBe('pilot');
      expect(added.reply).toContain('依据：名单导入 兰州补充名单.csv（2026-11-30）');
      expect(added.reply).not.toContain('甘青科发');
      // Units already in the notice keep citing it after the import.
      expect(answers.answer('张掖中学是试点吗').reply).toContain('依据：甘青科发〔2022〕5号');
    } finally {
      db.$client.close();
    }
  });
});
