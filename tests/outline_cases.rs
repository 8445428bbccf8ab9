//! Small crafted cases for each outline rule and each trap.

use tifa::SpeechFile;
use tifa::outline::{Outline, SectionKind};
use tifa::text::{Encoding, Text};

fn outline(s: &str) -> Vec<Outline> {
    SpeechFile::from_text(Text::from_string("case.txt", s, Encoding::Utf8)).outlines
}

/// The tree as indented `marker heading` lines.
fn tree(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for o in outline(s) {
        o.walk(|path, sec| {
            out.push(format!(
                "{}{} {}",
                "  ".repeat(path.len() - 1),
                sec.marker,
                sec.heading
            ))
        });
    }
    out
}

#[test]
fn gbt_9704_levels_nest() {
    let t = tree(
        "一、总体要求\n（一）指导思想。坚持稳中求进。\n1．稳增长。内容。\n（1）扩大投资。内容。\n（2）促进消费。内容。\n2．防风险。内容。\n（二）主要目标。内容。\n二、重点任务\n正文。",
    );
    assert_eq!(
        t,
        [
            "一、 总体要求",
            "  （一） 指导思想",
            "    1． 稳增长",
            "      （1） 扩大投资",
            "      （2） 促进消费",
            "    2． 防风险",
            "  （二） 主要目标",
            "二、 重点任务"
        ]
    );
}

#[test]
fn ranks_dates_asides_and_connectives_are_not_headings() {
    let t = tree(
        "一、工作回顾\n全市排名全省第一，增速全省第二。（2022年8月13日）\n（市、区）各部门要落实。\n一方面要稳增长，另一方面要防风险。一、二季度经济平稳。\n二、下步打算\n正文。",
    );
    assert_eq!(t, ["一、 工作回顾", "二、 下步打算"]);
}

#[test]
fn enumerations_need_a_sequence() {
    // A lone 第一 or 一是 is a word, not a list; 二是 without 一是 is ignored.
    let t = tree("一、回顾\n我们争第一，这是原则。二是没有开头。\n二、展望\n正文。");
    assert_eq!(t, ["一、 回顾", "二、 展望"]);
}

#[test]
fn sequence_in_an_item_of_the_same_paragraph_nests() {
    let t = tree("一、任务\n一要抓落实。具体是：一是定目标。二是压责任。\n二要转作风。内容。\n");
    assert_eq!(
        t,
        [
            "一、 任务",
            "  一要 抓落实",
            "    一是 定目标",
            "    二是 压责任",
            "  二要 转作风"
        ]
    );
}

#[test]
fn sequence_in_a_later_paragraph_is_a_sibling() {
    let t = tree(
        "一、问题\n一是不想干。内容。\n二是不会干。内容。\n对此，一要坚定信心。内容。二要明确责任。内容。三是强化统筹。内容。\n",
    );
    assert_eq!(
        t,
        [
            "一、 问题",
            "  一是 不想干",
            "  二是 不会干",
            "  一要 坚定信心",
            "  二要 明确责任",
            "  三是 强化统筹"
        ]
    );
}

#[test]
fn first_second_and_shouxian_sequences() {
    let t = tree(
        "一、意见\n第一，提高认识。内容。第二，加强领导。内容。\n首先，要学习。其次，要实践。最后，要总结。\n",
    );
    assert_eq!(
        t,
        [
            "一、 意见",
            "  第一 提高认识",
            "  第二 加强领导",
            "  首先 要学习",
            "  其次 要实践",
            "  最后 要总结"
        ]
    );
}

#[test]
fn dash_points_and_lead_sentences() {
    let t = tree(
        "一、工作回顾\n——经济运行保持在合理区间。国内生产总值增长。\n——经济结构不断优化。消费拉动增强。\n（一）创新宏观调控\n实施更大规模的减税。普惠性减税与结构性减税并举。\n明显降低企业社保缴费负担。下调城镇职工基本养老保险单位缴费比例。\n确保减税降费落实到位。减税降费直击当前市场主体痛点。\n",
    );
    assert_eq!(
        t,
        [
            "一、 工作回顾",
            "  —— 经济运行保持在合理区间",
            "  —— 经济结构不断优化",
            "  （一） 创新宏观调控",
            "     实施更大规模的减税",
            "     明显降低企业社保缴费负担",
            "     确保减税降费落实到位"
        ]
    );
    let o = &outline("一、回顾\n——经济运行保持在合理区间。内容。\n——经济结构不断优化。内容。")[0];
    assert_eq!(o.sections[0].children[0].kind, SectionKind::Dash);
}

#[test]
fn short_first_sentences_without_parallel_siblings_are_not_leads() {
    let t = tree(
        "同志们：\n今天开个短会。主要是部署工作。\n大家辛苦了。上半年任务重。\n我们要再接再厉。\n",
    );
    assert!(t.is_empty(), "{t:?}");
}

#[test]
fn marker_alone_on_its_line_takes_the_next_line_as_heading() {
    let t = tree(
        "一、坚持扩大内需\n要围绕优化结构做好工作：\n一是\n发行长期国债，重点投向水利。内容。\n二是\n继续贯彻落实调整收入分配的政策。内容。\n",
    );
    assert_eq!(
        t,
        [
            "一、 坚持扩大内需",
            "  一是 发行长期国债，重点投向水利",
            "  二是 继续贯彻落实调整收入分配的政策"
        ]
    );
}

#[test]
fn flattened_text_finds_headings_mid_line() {
    let body = "正文内容很长，需要认真落实各项工作。".repeat(40);
    let s = format!(
        "同志们：今天讲几点意见。一、关于疫情防控工作{body}二、关于经济工作{body}一是稳就业。{body}二是保民生。{body}三、关于党的建设{body}"
    );
    let t = tree(&s);
    assert_eq!(t.iter().filter(|l| !l.starts_with(' ')).count(), 3, "{t:?}");
    assert_eq!(&t[2][..8], "  一是 稳就业".get(..8).unwrap_or(""));
}

#[test]
fn compilation_is_split_and_toc_entries_are_not_headings() {
    let s = "会议发言汇编\n(2篇)\n目录\n1．抓落实促发展\n2．转作风提效能\n\n抓落实促发展\n我市坚决贯彻市委工作要求，全面加强干部能力作风建设，全力推进赶超发展、争先进位。\n提高站位抓推进。内容。\n聚焦重点抓推进。内容。\n严实举措抓推进。内容。\n转作风提效能\n我局认真落实。\n一、提高认识\n内容。\n二、狠抓落实\n内容。\n";
    let docs = outline(s);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].document.title.as_deref(), Some("抓落实促发展"));
    assert_eq!(docs[0].sections.len(), 3);
    assert_eq!(docs[0].sections[0].kind, SectionKind::Lead);
    assert_eq!(docs[1].document.title.as_deref(), Some("转作风提效能"));
    assert_eq!(
        docs[1]
            .sections
            .iter()
            .map(|s| s.marker.as_str())
            .collect::<Vec<_>>(),
        ["一、", "二、"]
    );
}

#[test]
fn preamble_closing_and_spans() {
    let s = "同志们：\n今天召开会议。\n一、成绩\n内容一。\n二、问题\n内容二。\n同志们，让我们共同努力！\n";
    let o = &outline(s)[0];
    let text = Text::from_string("t", s, Encoding::Utf8);
    assert_eq!(text.slice(o.preamble.unwrap()), "今天召开会议。");
    assert_eq!(text.slice(o.closing.unwrap()), "同志们，让我们共同努力！");
    assert_eq!(text.slice(o.sections[1].span), "二、问题\n内容二。");
    assert_eq!(text.slice(o.sections[0].heading_span), "成绩");
}

#[test]
fn numbering_must_be_consecutive() {
    // `（RCEP）` and a stray `（三）` without `（二）` are not headings.
    let t = tree(
        "一、回顾\n（一）第一点。内容。\n区域全面经济伙伴关系协定\n（RCEP）生效实施。\n（三）跳号。内容。\n",
    );
    assert_eq!(t, ["一、 回顾", "  （一） 第一点"]);
}

#[test]
fn crlf_line_endings_keep_offsets_exact() {
    let s = "同志们：\r\n一、成绩\r\n内容一。\r\n二、问题\r\n内容二。\r\n";
    let text = Text::from_string("t", s, Encoding::Utf8);
    let o = &SpeechFile::from_text(text.clone()).outlines[0];
    assert_eq!(text.slice(o.sections[0].span), "一、成绩\r\n内容一。");
    assert_eq!(text.slice(o.sections[1].heading_span), "问题");
}

#[test]
fn masks_and_noise_do_not_break_headings() {
    let s = "##paidbegin##一、**市住建工作\n扫描二维码关注公众号\n（一）XX局工作。内容。\n（二）***项目。内容。\n##paidend##";
    let t = tree(s);
    assert_eq!(
        t,
        ["一、 **市住建工作", "  （一） XX局工作", "  （二） ***项目"]
    );
}

#[test]
fn zero_width_chars_do_not_hide_a_salutation() {
    let docs = outline("各位代表：\u{200d}\n现在，我代表国务院报告工作。\n一、工作回顾\n内容。\n");
    assert_eq!(docs[0].document.title, None);
    assert_eq!(
        docs[0].document.meta.salutation.as_deref(),
        Some("各位代表")
    );
}

#[test]
fn definitions_are_not_lead_sentences() {
    // `X是Y` opens a section as its introduction; the parallel short imperatives after it are the leads.
    let t = tree(
        "一、改革开放\n改革开放是推动发展的制胜法宝。内容。\n多管齐下改革投融资体制。内容。\n不失时机加快价格改革。内容。\n深化国企国资改革。内容。\n",
    );
    assert_eq!(
        t,
        [
            "一、 改革开放",
            "   多管齐下改革投融资体制",
            "   不失时机加快价格改革",
            "   深化国企国资改革"
        ]
    );
}

#[test]
fn unnumbered_part_headings_hold_the_numbered_parts() {
    // 东莞市-2009: `2008年工作回顾` holds `一、`…, `2009年工作安排` holds the next `一、`…, and the
    // glossary is an appendix at the top, not a child of the last part.
    let s = "各位代表：\n现在，我代表市人民政府向大会作政府工作报告。\n2008年工作回顾\n刚刚过去的2008年，是很不寻常的一年。\n一、帮助企业扎根发展。切实采取积极措施。\n二、推进产业结构调整。把结构调整放在突出位置。\n三、增强自主发展能力。扎实推进自主创新。\n此外，我市支援汶川地震灾区抗震救灾工作也取得了显著成效。\n2009年工作安排\n为了实现年度目标任务，具体要抓好以下工作：\n一、着力加强扶企引商\n营造帮扶企业氛围。\n二、稳妥调整产业结构\n坚定不移地谋求重点领域突破。\n名词注解：\n“三旧”改造：即旧城区、旧厂房、旧村庄的改造。\n";
    let t = tree(s);
    assert_eq!(
        t,
        [
            " 2008年工作回顾",
            "  一、 帮助企业扎根发展",
            "  二、 推进产业结构调整",
            "  三、 增强自主发展能力",
            " 2009年工作安排",
            "  一、 着力加强扶企引商",
            "  二、 稳妥调整产业结构",
            " 名词注解："
        ]
    );
    let o = &outline(s)[0];
    let text = Text::from_string("t", s, Encoding::Utf8);
    // `此外，…` returns to the part heading's level: the last one-paragraph part ends with its paragraph.
    assert!(
        text.slice(o.sections[0].children[2].span)
            .ends_with("扎实推进自主创新。")
    );
    assert!(text.slice(o.sections[0].span).ends_with("显著成效。"));
}

#[test]
fn closing_parts_after_the_last_subpart_are_not_swallowed() {
    // The 国防 paragraph and `各位代表！` after the last `（三）` belong to the part, not to `（三）`.
    let s = "各位代表：\n一、2024年工作回顾\n（一）稳增长。投资增长。\n（二）促改革。改革深化。\n（三）惠民生。就业稳定。\n加强国防教育、国防动员、人民防空建设，推进军民融合发展。\n各位代表！过去一年的成绩来之不易。\n二、2025年工作安排\n（一）抓项目。内容。\n";
    let o = &outline(s)[0];
    let text = Text::from_string("t", s, Encoding::Utf8);
    let part = &o.sections[0];
    assert_eq!(part.children.len(), 3);
    assert_eq!(
        text.slice(part.children[2].span),
        "（三）惠民生。就业稳定。"
    );
    assert!(text.slice(part.span).ends_with("来之不易。"));
}

#[test]
fn a_salutation_right_under_a_heading_line_opens_its_body() {
    // 青岛市-2011: `（七）…` on its own line, then `各位代表！新的一年，…` as its first paragraph.
    let s = "各位代表：\n一、2011年的主要工作\n（一）全面加强生态文明建设\n积极推进节能减排。内容。\n（二）着力保障民生和发展社会事业\n各位代表！新的一年，我们将顺应全市人民的新期待。\n大力发展各项社会事业。内容。\n（三）加快文化青岛建设\n内容。\n";
    let t = tree(s);
    assert_eq!(
        t.iter()
            .filter(|l| l.trim_start().starts_with('（'))
            .count(),
        3,
        "{t:?}"
    );
}

#[test]
fn a_heading_never_contains_its_siblings() {
    // Flattened text: `六是…：第一，…第二，…` — the heading of 六是 stops before 第一, which nests in it.
    let body = "各项工作扎实推进，取得明显成效。".repeat(30);
    let s = format!(
        "同志们：一是稳增长。{body}二是促改革。{body}三是惠民生。{body}四是防风险。{body}五是强基础。{body}六是加快转型，重点做好以下工作：第一，抓项目；第二，抓招商。{body}"
    );
    let o = &outline(&s)[0];
    let six = o.sections.iter().find(|s| s.marker == "六是").unwrap();
    assert_eq!(six.heading, "加快转型，重点做好以下工作");
    assert_eq!(six.children.len(), 2, "{:?}", six.children);
    assert_eq!(six.children[0].heading, "抓项目");
}

#[test]
fn first_second_third_mixing_shouxian_and_di_is_one_list() {
    // 东莞市-2009: `首先，…其次，…第三，…`.
    let t = tree(
        "同志们：\n总体形势与工作要求\n当前，困难很多。\n首先，我们仍然面临严峻的困难挑战。内容。\n其次，我们拥有克服困难的有利条件。内容。\n第三，我们处于不进则退的关键时期。内容。\n一、着力加强扶企引商\n内容。\n",
    );
    assert_eq!(
        t,
        [
            " 总体形势与工作要求",
            "  首先 我们仍然面临严峻的困难挑战",
            "  其次 我们拥有克服困难的有利条件",
            "  第三 我们处于不进则退的关键时期",
            "  一、 着力加强扶企引商"
        ]
    );
}

#[test]
fn an_anaphoric_series_of_long_or_judging_openings_is_a_list() {
    // Each opening is longer than a heading, or judges (`是`) after its time frame; repeated three times
    // in one part, the openings head their paragraphs. A plain lead between two of them details the one
    // before it.
    let t = tree(concat!(
        "一、过去五年工作回顾\n",
        "过去五年，是经济平稳快速增长、发展质量明显提高、综合实力大幅提升的五年。生产总值年均增长。\n",
        "工业规模大幅提升。新增规模以上工业企业九千户。\n",
        "现代服务业加快发展。银行实现跨区域经营。\n",
        "创新型省份建设进展良好。取得重大科技成果。\n",
        "过去五年，是结构调整取得重大成效、产业优势日益突出、创新能力显著增强的五年。结构优化。\n",
        "过去五年，是体制改革迈出新步伐、对外开放进入新阶段、市场化程度明显提高的五年。改革深化。\n",
        "二、今年工作安排\n正文。"
    ));
    assert_eq!(
        t,
        [
            "一、 过去五年工作回顾",
            "   过去五年，是经济平稳快速增长、发展质量明显提高、综合实力大幅提升的五年",
            "     工业规模大幅提升",
            "     现代服务业加快发展",
            "     创新型省份建设进展良好",
            "   过去五年，是结构调整取得重大成效、产业优势日益突出、创新能力显著增强的五年",
            "   过去五年，是体制改革迈出新步伐、对外开放进入新阶段、市场化程度明显提高的五年",
            "二、 今年工作安排"
        ]
    );
    // `我们X，Y。` three times: the narrative opener `我们` is what the series repeats.
    let t = tree(concat!(
        "一、2022年工作回顾\n",
        "我们牢记领袖嘱托，抗震救灾夺取重大胜利。面对地震，全力救援。\n",
        "我们坚持生命至上，疫情防控完成重大使命。面对疫情，全力防控。\n",
        "我们专注稳中求进，绿色发展迈出重大步伐。面对下行，全力稳住。\n",
        "二、今年工作安排\n正文。"
    ));
    assert_eq!(t.len(), 5, "{t:?}");
}

#[test]
fn unnumbered_part_lines_are_parts_in_a_report_without_numbered_parts() {
    let body = "全年地区生产总值增长5%，总量突破3000亿元。\n新增规模以上企业120家，产值增长8%。\n进出口总额增长12%，再创新高。\n";
    let t = tree(&format!(
        "各位代表：\n现在，我代表市人民政府向大会报告工作。\n全面建成小康社会\n{body}走好新的赶考之路\n{body}弘扬伟大建党精神\n{body}"
    ));
    assert_eq!(
        t,
        [
            " 全面建成小康社会",
            " 走好新的赶考之路",
            " 弘扬伟大建党精神"
        ]
    );
}

#[test]
fn an_ordinal_one_run_into_its_lead_in_starts_the_series() {
    let t = tree(concat!(
        "一、2025年工作安排\n",
        "实现上述目标，我们将重点做好三个方面工作。（一）坚持科技创新引领，加快建设先行区。牢记使命。\n",
        "全力提升科技创新能级。内容。\n",
        "（二）全方位扩大内需，持续巩固经济向好势头。坚持扩大内需。\n",
        "（三）集成发力建圈强链，加快建设现代化产业体系。充分发挥作用。\n"
    ));
    assert_eq!(
        t,
        [
            "一、 2025年工作安排",
            "  （一） 坚持科技创新引领，加快建设先行区",
            "  （二） 全方位扩大内需，持续巩固经济向好势头",
            "  （三） 集成发力建圈强链，加快建设现代化产业体系"
        ]
    );
}

#[test]
fn markers_with_inner_spaces_and_numbering_past_trailing_leads() {
    // `（一 ）` as a web copy prints it; `二、` continues `一、` though a five-year lead series follows
    // `一、` at its level.
    let t = tree(concat!(
        "一、 2013 年工作回顾\n回顾正文。\n",
        "二、2014年工作安排\n",
        "（一 ） 突出问题导向，加快改革创新步伐。改革是时代要求。\n",
        "（二 ） 突出项目建设，加快培育增长点。项目是支撑。\n"
    ));
    assert_eq!(
        t,
        [
            "一、 2013 年工作回顾",
            "二、 2014年工作安排",
            "  （一 ） 突出问题导向，加快改革创新步伐",
            "  （二 ） 突出项目建设，加快培育增长点"
        ]
    );
}

#[test]
fn a_title_block_in_the_body_is_not_a_part() {
    // A report reprinted after a cover letter: its own title, occasion, speaker and salutation follow
    // the letter, and its `一、` are the parts.
    let t = tree(concat!(
        "> 市人民政府关于印发政府工作报告的通知\n> 各区、县人民政府：\n> 现印发给你们，请认真贯彻落实。\n---\n",
        "政府工作报告\n——2026年2月27日在市第十七届人民代表大会第七次会议上\n市长 某某\n各位代表：\n",
        "现在，我代表市人民政府向大会报告工作。\n一、2025年工作回顾\n回顾正文。\n二、2026年重点工作\n工作正文。\n"
    ));
    assert_eq!(t, ["一、 2025年工作回顾", "二、 2026年重点工作"]);
}

#[test]
fn a_colon_lead_in_opens_the_list_run_into_it() {
    // `（一）` follows the colon of its lead-in in the same paragraph; `（二）` opens the next one.
    let t = tree(
        "一、工作回顾\n一年来，我们主要做了以下工作：（一）推进产业升级。工业增长。\n（二）深化改革开放。改革推进。\n二、工作安排\n正文。",
    );
    assert_eq!(
        t,
        [
            "一、 工作回顾",
            "  （一） 推进产业升级",
            "  （二） 深化改革开放",
            "二、 工作安排"
        ]
    );
}

#[test]
fn running_numbering_goes_on_under_the_next_section() {
    // A list of practical projects numbered 1–4 under `一、` and 5–6 under `二、`.
    let t = tree(
        "一、改善交通\n1．开通地铁线路。\n2．新开公交线路。\n二、增加学位\n3．新增托育机构。\n4．新建幼儿园。\n",
    );
    assert_eq!(
        t,
        [
            "一、 改善交通",
            "  1． 开通地铁线路",
            "  2． 新开公交线路",
            "二、 增加学位",
            "  3． 新增托育机构",
            "  4． 新建幼儿园"
        ]
    );
}

#[test]
fn qualified_glossaries_and_attachment_titles_are_appendices() {
    // `有关注释：` names a glossary with a qualifier; `附件一` only numbers an attachment whose title is
    // the next line. Neither belongs to the last sub-part.
    let t = tree(
        "一、工作回顾\n（一）稳增长。内容。\n（二）惠民生。内容。\n二、工作安排\n（一）抓项目。内容。\n（二）促改革。内容。\n各位代表，让我们携手奋进！\n附件一\n2013年为民办实事项目(共2项）\n1、完成农村公路建设；\n2、新增城镇就业；\n有关注释：\n1．惠十条：即十条政策措施。\n2．三清：指清理垃圾。\n",
    );
    assert_eq!(
        t,
        [
            "一、 工作回顾",
            "  （一） 稳增长",
            "  （二） 惠民生",
            "二、 工作安排",
            "  （一） 抓项目",
            "  （二） 促改革",
            " 2013年为民办实事项目(共2项）",
            "  1、 完成农村公路建设",
            "  2、 新增城镇就业",
            " 有关注释：",
            "  1． 惠十条：即十条政策措施",
            "  2． 三清：指清理垃圾"
        ]
    );
}

#[test]
fn an_anaphoric_series_of_own_lines_is_leads_not_parts() {
    // Three own lines repeating `一年来，我们` under `2018年工作回顾` head its lead sentences; they are
    // not parts beside it.
    let t = tree(
        "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n2018年工作回顾\n过去一年，我们攻坚克难。\n一年来，我们坚持稳中求进，经济保持平稳健康发展\n工业经济提质增效。内容。\n重大项目加速推进。内容。\n一年来，我们抓住窗口期，乘势而为集聚发展新动能\n经济结构持续优化。内容。\n创新能力不断提升。内容。\n一年来，我们坚持以人民为中心，持续增强群众获得感\n社会事业不断进步。内容。\n社会保障扩面提标。内容。\n2019年工作安排\n（一）打造产业集群。内容。\n（二）建设开放平台。内容。\n",
    );
    assert_eq!(
        t,
        [
            " 2018年工作回顾",
            "   一年来，我们坚持稳中求进，经济保持平稳健康发展",
            "     工业经济提质增效",
            "     重大项目加速推进",
            "   一年来，我们抓住窗口期，乘势而为集聚发展新动能",
            "     经济结构持续优化",
            "     创新能力不断提升",
            "   一年来，我们坚持以人民为中心，持续增强群众获得感",
            "     社会事业不断进步",
            "     社会保障扩面提标",
            " 2019年工作安排",
            "  （一） 打造产业集群",
            "  （二） 建设开放平台"
        ]
    );
}

#[test]
fn a_salutation_alone_after_the_last_part_closes_it() {
    // `各位代表！` on its own line after the last numbered heading turns to the closing topics: the
    // `一要…三要` on the government's own conduct are not part of `三、`.
    let lines = [
        "各位代表：",
        "现在，我代表省人民政府向大会报告工作。",
        "一、工作回顾",
        "（一）稳增长。内容。",
        "（二）惠民生。内容。",
        "二、总体要求",
        "（一）指导思想。内容。",
        "（二）主要目标。内容。",
        "三、重点工作",
        "（一）抓项目。内容。",
        "（二）促改革。内容。",
        "各位代表！",
        "新的形势和任务，对政府工作提出了新的更高要求。",
        "一要勇于开拓创新。内容。",
        "二要切实转变作风。内容。",
        "三要加强民主法治建设。内容。",
        "各位代表！让我们携手奋进，再创辉煌！",
    ];
    let t = tree(&lines.join("\n\n"));
    assert_eq!(
        t[6..],
        [
            "三、 重点工作",
            "  （一） 抓项目",
            "  （二） 促改革",
            "一要 勇于开拓创新",
            "二要 切实转变作风",
            "三要 加强民主法治建设"
        ]
    );
}

#[test]
fn consecutive_leads_of_mixed_shape_are_a_series() {
    // One of three consecutive leads lacks the comma of the other two; it is still their sibling.
    let lines = [
        "一、加快航运中心建设。全面提升港口功能。",
        "二、扎实推进新农村建设，促进县域经济全面发展。要把增加农民收入作为重中之重。",
        "按照生产发展、生活宽裕的要求，推进社会主义新农村建设，制定我市建设规划和实施意见。",
        "加强农业设施建设，调整农村经济结构。发展节水型农业灌溉面积6万亩。",
        "加快推进农业产业化经营。进一步做强做大龙头企业。",
        "加快县域经济发展，提高自主增长能力。引导大项目向工业园区转移。",
        "三、提高城市建设与管理水平。充分发挥城市建设的良好基础。",
    ];
    let t = tree(&lines.join("\n\n"));
    assert_eq!(
        t,
        [
            "一、 加快航运中心建设",
            "二、 扎实推进新农村建设，促进县域经济全面发展",
            "   加强农业设施建设，调整农村经济结构",
            "   加快推进农业产业化经营",
            "   加快县域经济发展，提高自主增长能力",
            "三、 提高城市建设与管理水平"
        ]
    );
}

#[test]
fn a_reprinted_part_is_a_sibling_not_dropped() {
    // A web copy reprints the whole tasks part: the second `二、` repeats the first word for word and
    // holds its own `（一）`s, instead of being dropped and leaving them under the first.
    let part = "二、2014年工作安排\n\n今年是关键一年。\n\n（一）构建现代产业体系。内容。\n\n（二）推进新型城镇化。内容。";
    let text = format!(
        "一、2013年工作回顾\n\n（一）经济发展。内容。\n\n（二）民生改善。内容。\n\n{part}\n\n各位代表，完成全年任务，必须团结奋斗。\n\n{part}"
    );
    let o = outline(&text);
    let tops: Vec<(&str, usize)> = o[0]
        .sections
        .iter()
        .map(|s| (s.marker.as_str(), s.children.len()))
        .collect();
    assert_eq!(tops, [("一、", 2), ("二、", 2), ("二、", 2)]);
}

#[test]
fn a_paragraph_opening_heading_may_skip_a_lost_number() {
    // The source lost `（四）`: `（五）`, opening its paragraph after a run of three, goes on at the level
    // of `（三）`. (A `（三）` right after a lone `（一）` stays a stray: `numbering_must_be_consecutive`.)
    let t = tree(
        "一、重点任务\n\n（一）扩大有效投资。内容。\n\n（二）推动创新发展。内容。\n\n（三）厚植生态优势。内容。\n\n（五）办好民生实事。内容。\n\n二、政府建设\n\n正文。",
    );
    assert_eq!(
        t,
        [
            "一、 重点任务",
            "  （一） 扩大有效投资",
            "  （二） 推动创新发展",
            "  （三） 厚植生态优势",
            "  （五） 办好民生实事",
            "二、 政府建设"
        ]
    );
}

#[test]
fn bracketed_notes_under_any_appendix_heading_are_its_items() {
    // `附注:` is an appendix (the word itself, with an ASCII colon); notes numbered `[1]` are its entries,
    // and a list of notes may begin past one where the copy lost the first (`注释：` / `[2]…`).
    let body = "一、工作回顾\n\n（一）稳增长。内容。\n\n（二）惠民生。内容。\n\n二、工作安排\n\n（一）抓项目。内容。\n\n（二）促改革。内容。\n\n各位代表，让我们携手奋进！";
    for (head, first) in [("附注:", 1), ("注释：", 2)] {
        let text = format!(
            "{body}\n\n{head}\n\n[{first}]惠十条：即十条政策措施。\n\n[{}]三清：指清理垃圾。\n\n[{}]四好农村路：建好、管好。",
            first + 1,
            first + 2
        );
        let o = outline(&text);
        let last = o[0].sections.last().unwrap();
        assert_eq!(last.heading, head, "{head}");
        let notes: Vec<(&str, u32)> = last
            .children
            .iter()
            .map(|s| (s.heading.as_str(), s.ordinal))
            .collect();
        assert_eq!(
            notes,
            [
                ("惠十条：即十条政策措施", first),
                ("三清：指清理垃圾", first + 1),
                ("四好农村路：建好、管好", first + 2)
            ],
            "{head}"
        );
    }
}

#[test]
fn a_colon_lead_in_opens_a_second_series_of_leads() {
    // A review's leads, a closing line, then `…我们的宝贵经验是：` and short leads of another shape: two
    // lists in one part. The second is not dropped for differing from the first, and the line between
    // them is not swallowed by the first list's last member.
    let lines = [
        "一、工作回顾",
        "坚定不移打赢脱贫攻坚战，历史性地解决了绝对贫困问题。全面完成脱贫任务。",
        "坚定不移实施乡村振兴战略，农业农村现代化步伐更加坚实。推进衔接。",
        "坚定不移深化对外开放，辐射中心建设成效显著。实施对外合作。",
        "坚定不移加强政府自身建设，治理效能明显提高。扎实开展学习教育。",
        "圆满完成3项全国普查，妇女儿童、残疾人等事业健康发展。",
        "各位代表，回顾五年的工作，我们的宝贵经验是：",
        "坚持党的全面领导。我们始终以党的创新理论武装头脑。",
        "坚持新发展理念。我们完整准确全面贯彻新发展理念。",
        "坚持人民至上。我们认真贯彻以人民为中心的发展思想。",
        "二、今后五年的主要任务",
        "正文。",
    ];
    let text = lines.join("\n\n");
    let o = outline(&text);
    let part = &o[0].sections[0];
    let heads: Vec<&str> = part.children.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        heads,
        [
            "坚定不移打赢脱贫攻坚战，历史性地解决了绝对贫困问题",
            "坚定不移实施乡村振兴战略，农业农村现代化步伐更加坚实",
            "坚定不移深化对外开放，辐射中心建设成效显著",
            "坚定不移加强政府自身建设，治理效能明显提高",
            "坚持党的全面领导",
            "坚持新发展理念",
            "坚持人民至上"
        ]
    );
    let t = Text::from_string("t", &text, Encoding::Utf8);
    assert!(
        t.slice(part.children[3].span)
            .ends_with("扎实开展学习教育。")
    );
}

#[test]
fn parallel_openings_head_long_paragraphs() {
    // 排比: consecutive paragraphs whose opening clauses share their first words and differ after them
    // head their paragraphs, though each first sentence is far too long for a lead. Repeated time frames
    // (`过去一年，…` × 3) narrate and stay body text.
    let long = "把这一理念贯穿于一切工作的全过程，以此带动增长动力转换，积极鼓励和支持各方面力量参与，着力催生一批新产业、新技术、新业态。";
    let text = format!(
        "一、今后五年的目标\n\n在工作中更加崇尚创新，{long}\n\n在工作中更加注重协调，{long}\n\n在工作中更加倡导绿色，{long}\n\n二、工作回顾\n\n过去一年，{long}\n\n过去一年，{long}\n\n过去一年，{long}\n\n三、政府建设\n\n正文。"
    );
    assert_eq!(
        tree(&text),
        [
            "一、 今后五年的目标",
            "   在工作中更加崇尚创新",
            "   在工作中更加注重协调",
            "   在工作中更加倡导绿色",
            "二、 工作回顾",
            "三、 政府建设"
        ]
    );
}

#[test]
fn a_round_up_of_other_work_closes_the_last_sub_part() {
    // `同时，持续支持国防和军队建设，…双拥…退役军人…` after the last sub-part speaks at the part's level;
    // a round-up followed by more leads of its sub-part stays in it.
    let text = "一、工作回顾\n\n（一）经济稳中有进。内容。\n\n（二）民生持续改善。内容。\n\n同时，持续支持国防和军队建设，深入开展双拥共建活动，做好退役军人服务保障工作，统计等工作取得新成绩。\n\n二、工作安排\n\n（一）抓项目。内容。\n\n加快产业升级。内容。\n\n支持国防动员、人民防空、双拥共建等工作。\n\n推进城乡融合。内容。\n\n促进社会和谐。内容。\n\n（二）促改革。内容。";
    let o = outline(text);
    let t = Text::from_string("t", text, Encoding::Utf8);
    let review = &o[0].sections[0];
    assert!(
        t.slice(review.children[1].span)
            .ends_with("民生持续改善。内容。")
    );
    assert!(t.slice(review.span).ends_with("等工作取得新成绩。"));
    let tasks = &o[0].sections[1].children[0];
    let leads: Vec<&str> = tasks.children.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(leads, ["加快产业升级", "推进城乡融合", "促进社会和谐"]);
}

#[test]
fn the_closing_call_ends_the_speech_before_an_appendix_title() {
    // After `各位代表！让我们…` a titled list of practical projects is an appendix, and the call is the
    // closing, not the last part's paragraph. A salutation that lists (`各位代表、各位委员，`) closes too.
    for call in [
        "各位代表！让我们更加紧密地团结在一起，奋力谱写新篇章！",
        "各位代表、各位委员，让我们携手奋进，共创美好未来！",
    ] {
        let text = format!(
            "一、工作回顾\n\n（一）稳增长。内容。\n\n（二）惠民生。内容。\n\n二、工作安排\n\n（一）抓项目。内容。\n\n（二）促改革。内容。\n\n{call}\n\n西安市2024年为民实事\n\n一、着力改善城市交通拥堵\n\n1．开通运营地铁线路。\n\n2．新开调整公交线路。"
        );
        let o = outline(&text);
        let t = Text::from_string("t", &text, Encoding::Utf8);
        assert_eq!(t.slice(o[0].closing.unwrap()), call, "{call}");
        let tops: Vec<&str> = o[0].sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            tops,
            ["工作回顾", "工作安排", "西安市2024年为民实事"],
            "{call}"
        );
        assert!(t.slice(o[0].sections[1].span).ends_with("促改革。内容。"));
    }
}

#[test]
fn a_salutation_after_the_last_heading_closes_the_sub_parts_too() {
    // `各位代表！民族团结是…` comes after the last lead of the last sub-part, with no heading after it
    // before the closing: it still speaks at the part's level.
    let text = "一、工作回顾\n\n（一）稳增长。内容。\n\n（二）惠民生。内容。\n\n二、工作安排\n\n（一）抓项目。内容。\n\n（二）坚持民生为大\n\n办好人民满意的教育。内容。\n\n加快文化强市建设。内容。\n\n扎实推进健康城市建设。内容。\n\n各位代表！民族团结是各族人民的生命线。我们要深化民族团结进步创建。\n\n新的一年，我们将加强政府自身建设。\n\n我们要牢记使命，勇于担当。\n\n各位代表！让我们团结奋斗，再创佳绩！";
    let o = outline(text);
    let t = Text::from_string("t", text, Encoding::Utf8);
    let last = o[0].sections[1].children.last().unwrap();
    assert_eq!(last.children.len(), 3);
    assert!(t.slice(last.span).ends_with("扎实推进健康城市建设。内容。"));
}

#[test]
fn a_list_item_may_open_with_a_year() {
    // `17.2006年关系群众切身利益的“十件实事”` is item 17 of a glossary; `2.5倍` opening a line is a number.
    let t = tree(
        "一、工作回顾\n\n正文。\n\n名词解释\n\n1.“万村书库”：由省委宣传部组织。\n\n2.新“两纲”：指妇女儿童发展纲要。\n\n3.2006年关系群众切身利益的“十件实事”：一是解决饮水困难。\n\n2.5倍于上年的投入。",
    );
    assert_eq!(
        t,
        [
            "一、 工作回顾",
            " 名词解释",
            "  1. “万村书库”：由省委宣传部组织",
            "  2. 新“两纲”：指妇女儿童发展纲要",
            "  3. 2006年关系群众切身利益的“十件实事”"
        ]
    );
}

#[test]
fn a_sentence_pointing_back_is_not_a_lead() {
    // `实现这些宏伟目标，我们有许多有利条件。` continues the targets before it; the leads after it head
    // their paragraphs.
    let t = tree(
        "一、今后五年的工作\n\n今后五年的主要目标是：经济年均增长百分之十。\n\n实现这些宏伟目标，我们有许多有利条件。内容。\n\n推进工业化进程，提高整体效益。内容。\n\n发展现代服务业，改造传统服务业。内容。\n\n继续推进改革，注重制度建设创新。内容。\n\n二、今年的工作\n\n正文。",
    );
    assert_eq!(
        t,
        [
            "一、 今后五年的工作",
            "   推进工业化进程，提高整体效益",
            "   发展现代服务业，改造传统服务业",
            "   继续推进改革，注重制度建设创新",
            "二、 今年的工作"
        ]
    );
}
