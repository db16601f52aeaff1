/** Fixed facts of the program, as stated in the two notices (see data/ and data/source). */

export const PROGRAM_NAME = '“科创筑梦”助力“双减”科普行动';

export const FIVE_ACTIONS = [
  '科教资源共建共享',
  '科技活动进校园',
  '科教阵地协同育人',
  '科技教师科学素质提升',
  '大手拉小手科技专家志愿服务',
] as const;

export const SCHOOL_DUTIES = [
  '积极使用“科创筑梦”云平台优质科教资源，助力科学课程教学和科普活动',
  '组织学生参加“青少年科学调查体验”“青少年FAST观测方案征集活动”“青少年科学节”“青少年科学影像节”等活动',
  '支持科学教师参加线上线下培训和“科创项目式学习征集活动”等交流活动',
  '邀请科技工作者进学校开展科普报告、科技活动指导',
  '利用科普教育基地、科技馆等校外科普设施开展科技教育活动',
] as const;

export const OUT_OF_SCHOOL_DUTIES = [
  '密切与当地中小学校的联系，结合学校实际需求开展工作',
  '积极打造青少年科学工作室，为“双减”提供资源和阵地支撑',
  '加强科教课程资源研发和师资培训，帮助学校丰富课后服务内容',
  '按照当地教育部门和科协组织的要求规范管理，积极参与学校课后服务',
] as const;

export const NON_PROFIT_RULE =
  '试点工作是公益性质的：校外机构和单位不得以“科创筑梦”助力“双减”科普行动试点单位的名义开展营利性活动。';

export const NOTICES = {
  provincial: '甘青科发〔2022〕5号',
  national: '科协青发〔2022〕9号',
} as const;

/** Size of the national programme (科协青发〔2022〕9号): 103 pilot cities, 1,198 pilot units. */
export const NATIONAL_COUNTS = { cities: 103, units: 1198 } as const;
