//! Which HTML page does a report become? One base layout, one stylesheet and one script for every
//! command's page.
//!
//! Input: a page template name (`pair.html`, `corpus.html`, `compare.html`, `reuse.html`, `outline.html`,
//! `patterns.html`) and its view-model (any `Serialize` value, see [`super::rows`]), plus pre-rendered
//! markup blocks that are too large to build through the template engine (the full texts of a pair report).
//! Output: one self-contained HTML document (inline CSS, inline script, no network).
//!
//! How: the templates live in `src/report/templates/` and are embedded with `include_str!` into one
//! [minijinja] environment built on first use. Every page extends `base.html`, which inlines
//! `style.css` and `report.js` as trusted strings (so their braces never meet the template parser).
//! minijinja auto-escapes every value in `*.html` templates; only blocks passed through [`Markup`] are
//! inserted as they are, and those are built with [`super::html_escape`].

use std::sync::OnceLock;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use serde::Serialize;

/// The one stylesheet of every page.
pub const STYLESHEET: &str = include_str!("templates/style.css");
/// The one script of every page (sortable tables; the pair report's panes, passages and toggles).
pub const SCRIPT: &str = include_str!("templates/report.js");

const TEMPLATES: [(&str, &str); 8] = [
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("pair.html", include_str!("templates/pair.html")),
    ("corpus.html", include_str!("templates/corpus.html")),
    ("compare.html", include_str!("templates/compare.html")),
    ("reuse.html", include_str!("templates/reuse.html")),
    ("outline.html", include_str!("templates/outline.html")),
    ("patterns.html", include_str!("templates/patterns.html")),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("default delimiters are valid"),
        );
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("embedded template {name} parses: {e:#}"));
        }
        env
    })
}

/// A block of HTML built (and escaped) in Rust, inserted into a page as it is.
#[derive(Clone, Debug, Default)]
pub struct Markup(pub String);

/// The language of a page's labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese labels (the default).
    #[default]
    Zh,
    /// English labels.
    En,
}

impl Lang {
    /// The `lang` attribute of the page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// A page's labels in `lang` (`key → text`, looked up by the templates as `t.KEY`), from its table of
/// `(key, Chinese, English)`.
pub fn labels(
    table: &[(&'static str, &'static str, &'static str)],
    lang: Lang,
) -> std::collections::BTreeMap<&'static str, &'static str> {
    table
        .iter()
        .map(|&(k, zh, en)| (k, if lang == Lang::Zh { zh } else { en }))
        .collect()
}

/// Renders page `name` with its view-model `page` and named markup blocks (`{{ blocks.NAME }}`).
///
/// The embedded templates are tested to render every view-model the library builds, so a failure here is
/// a bug in tifa, not in the input.
pub fn render(
    name: &str,
    title: &str,
    lang: Lang,
    page: &impl Serialize,
    blocks: Vec<(&str, Markup)>,
) -> String {
    let env = environment();
    let blocks: std::collections::BTreeMap<String, Value> = blocks
        .into_iter()
        .map(|(k, m)| (k.to_string(), Value::from_safe_string(m.0)))
        .collect();
    let ctx = context! {
        title => title,
        lang => lang.code(),
        page => Value::from(Serde(page)),
        blocks => Value::from(blocks),
        css => Value::from_safe_string(STYLESHEET.to_string()),
        js => Value::from_safe_string(SCRIPT.to_string()),
    };
    let tmpl = env
        .get_template(name)
        .unwrap_or_else(|e| panic!("embedded template {name} exists: {e:#}"));
    let mut out = tmpl
        .render(ctx)
        .unwrap_or_else(|e| panic!("embedded template {name} renders: {e:#}"));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
