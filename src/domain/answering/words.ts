/**
 * Word sets more than one reader of a message needs: what asks for a list, and the words around a
 * place in a city, list or vague-school question that say nothing about which place or school.
 */

/** Words that ask for a list or a count (哪些, 几所, 名单, 有什么). */
export const LIST =
  /哪些|哪几|哪五|哪5|几个|几家|几所|多少|名单|列表|列出|列一下|列个|清单|所有|全部|都有|有谁|包括|分别|发一下|发个|发我|看看|有啥|有什么/;
/** Words of a city's membership question besides the city (白银到底是不是试点城市). */
export const CITY_WORDS =
  /到底|究竟|真的|试点城市|试点市州|试点市|城市|市州|地区|试点|名单|是不是|是否|有没有|算不算|评上|评为|选上|入选|成为|算|属于|吗|呢|嘛|么|没|不|啊|吧|呀|的|是|有|在|那|还|也|了|被/g;
/** Words of a list question besides the place (兰州有哪几所试点学校). */
export const LIST_WORDS =
  /试点单位|试点学校|试点城市|单位|学校|哪些|哪几个|哪几家|哪几所|哪几|几个|几家|几所|多少|名单|列表|列出|列一下|列个|清单|所有|全部|都有谁|都有|有谁|谁|包括|还有|还|共有|来着|一共|总共|分别是|分别|发一下|发个|发我|分享|入选了|入选|入围|选上|能不能|可不可以|可以|能|请|查看|看看|给我|帮我|把|一下|有啥|有什么|个|所|家|的|有|是|呢|吗|在|啊|吧|呀|么|那|都|试点/g;
/** A span that is only a place and a kind of school (静宁县的那个小学): no institution is named. */
export const VAGUE_WORDS =
  /我家孩子|孩子|我家|你们|他们|她们|一名|一位|那几个|那些|那个|这个|那所|这所|一个|一所|一家|这家|那家|某个|哪个|哪所|什么|科技特色|特色|重点|示范|普通|公办|民办|私立|乡镇|农村|山区|县城|城里|[两三四五六七八九十几\d]+个|的|有|个|所|里|那|这|我们|我|咱们|本|贵/g;
