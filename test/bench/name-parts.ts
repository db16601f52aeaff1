/** Word lists and numerals for realistic synthetic unit names. */

const DIGIT_CHARS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1..99 as an ordinal is written in names: 3 → 三, 12 → 十二, 52 → 五十二. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`no numeral for ${n}`);
  if (n < 10) return DIGIT_CHARS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGIT_CHARS[tens]}十${ones ? DIGIT_CHARS[ones] : ''}`;
}

/** Street names found in most Chinese cities. */
export const ROADS = [
  '解放路',
  '人民路',
  '建设路',
  '中山路',
  '文化路',
  '胜利路',
  '和平路',
  '新华路',
  '北京路',
  '长江路',
  '黄河路',
  '育才路',
  '工农路',
  '友谊路',
  '光明路',
  '朝阳路',
  '青年路',
  '五一路',
  '红旗路',
  '东风路',
  '滨河路',
  '迎宾路',
  '团结路',
  '民主路',
  '振兴路',
  '公园路',
  '体育路',
  '府前街',
  '南大街',
  '北大街',
  '东大街',
  '西大街',
  '钟楼巷',
  '书院街',
  '花园路',
];

/** Syllables for township names (first + second + 镇/乡), e.g. 石桥镇, 柳林乡. */
export const TOWN_FIRST = [
  '石',
  '柳',
  '马',
  '王',
  '李',
  '黄',
  '龙',
  '清',
  '白',
  '杨',
  '高',
  '新',
  '双',
  '大',
  '长',
  '桃',
  '花',
  '金',
  '银',
  '铁',
  '沙',
  '梨',
  '枣',
  '官',
  '旧',
  '营',
  '青',
  '安',
];
export const TOWN_SECOND = [
  '桥',
  '林',
  '坊',
  '庄',
  '河',
  '泉',
  '集',
  '坪',
  '湾',
  '寨',
  '店',
  '堡',
  '岗',
  '沟',
  '铺',
  '塘',
  '口',
  '埠',
  '滩',
  '峪',
];

/** Universities with a well-known affiliated school, and the prefecture they are in. */
export const UNIVERSITIES: readonly (readonly [university: string, prefecture: string])[] = [
  ['北京师范大学', '北京市'],
  ['首都师范大学', '北京市'],
  ['中国人民大学', '北京市'],
  ['清华大学', '北京市'],
  ['北京交通大学', '北京市'],
  ['南开大学', '天津市'],
  ['天津师范大学', '天津市'],
  ['河北师范大学', '石家庄市'],
  ['山西大学', '太原市'],
  ['内蒙古师范大学', '呼和浩特市'],
  ['东北大学', '沈阳市'],
  ['辽宁师范大学', '大连市'],
  ['东北师范大学', '长春市'],
  ['吉林大学', '长春市'],
  ['哈尔滨师范大学', '哈尔滨市'],
  ['华东师范大学', '上海市'],
  ['复旦大学', '上海市'],
  ['上海交通大学', '上海市'],
  ['南京师范大学', '南京市'],
  ['苏州大学', '苏州市'],
  ['浙江大学', '杭州市'],
  ['安徽师范大学', '芜湖市'],
  ['福建师范大学', '福州市'],
  ['厦门大学', '厦门市'],
  ['江西师范大学', '南昌市'],
  ['山东师范大学', '济南市'],
  ['郑州大学', '郑州市'],
  ['河南大学', '开封市'],
  ['华中师范大学', '武汉市'],
  ['武汉大学', '武汉市'],
  ['湖南师范大学', '长沙市'],
  ['华南师范大学', '广州市'],
  ['中山大学', '广州市'],
  ['广西师范大学', '桂林市'],
  ['海南师范大学', '海口市'],
  ['西南大学', '重庆市'],
  ['重庆师范大学', '重庆市'],
  ['四川大学', '成都市'],
  ['四川师范大学', '成都市'],
  ['贵州师范大学', '贵阳市'],
  ['云南师范大学', '昆明市'],
  ['西藏大学', '拉萨市'],
  ['陕西师范大学', '西安市'],
  ['西安交通大学', '西安市'],
  ['青海师范大学', '西宁市'],
  ['宁夏大学', '银川市'],
  ['新疆师范大学', '乌鲁木齐市'],
];

/** The ethnic school a county of a province is likely to have: 藏族中学, 回民中学, ... */
export function ethnicSchoolWord(province: string): string {
  if (/西藏|青海|四川/.test(province)) return '藏族';
  if (/宁夏|河南|河北|山东/.test(province)) return '回民';
  if (/内蒙古|辽宁/.test(province)) return '蒙古族';
  if (/吉林/.test(province)) return '朝鲜族';
  if (/新疆/.test(province)) return '维吾尔族';
  if (/广西/.test(province)) return '壮族';
  return '民族';
}
