/**
 * The forms a place of China is written in: its full name and its short forms (肃南裕固族自治县,
 * 肃南县, 肃南). Every place lookup — the national index, the province tree, aliases — uses these.
 */

/** 'country' stands for 中国/全国: consistent with every unit, identifying none. */
export type PlaceLevel = 'country' | 'province' | 'prefecture' | 'county';

const ETHNIC =
  '蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各';
const TRAILING_ETHNIC = new RegExp(`(?:${ETHNIC})族$`);

function stripEthnic(base: string): string {
  let out = base;
  while (TRAILING_ETHNIC.test(out)) {
    const next = out.replace(TRAILING_ETHNIC, '');
    if (next.length < 2) break;
    out = next;
  }
  return out;
}

/** Full name first, then short forms; e.g. 肃南裕固族自治县 → [肃南裕固族自治县, 肃南县, 肃南]. */
export function placeForms(name: string, level: PlaceLevel): string[] {
  const forms = new Set<string>([name]);
  const add = (form: string) => {
    if (form.length >= 2) forms.add(form);
  };
  if (level === 'country') {
    add('全国');
    add('国家');
  } else if (level === 'province') {
    add(name.replace(/(省|市|特别行政区|(壮族|回族|维吾尔)?自治区)$/, ''));
  } else if (level === 'prefecture') {
    const auto = /^(.+?)自治州$/.exec(name);
    if (auto?.[1]) {
      const base = stripEthnic(auto[1]);
      add(`${base}州`);
      add(base);
    } else {
      add(name.replace(/(市|地区|盟)$/, ''));
    }
  } else {
    const auto = /^(.+?)自治(县|旗)$/.exec(name);
    if (auto?.[1] && auto[2]) {
      let base = stripEthnic(auto[1]);
      if (base === auto[1]) base = base.replace(/族$/, '');
      add(`${base}${auto[2]}`);
      add(base);
    } else if (name.length > 2) {
      // Keep two-character counties whole: 文县, 环县, 徽县.
      add(name.replace(/(县|区|市|旗)$/, ''));
    }
  }
  return [...forms];
}
