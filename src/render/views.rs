//! The HTML pages that come from content: single pages, paginated section
//! lists, the events archive, job lists by kind, tags, home, 404 and alias
//! redirects. Produces [`HtmlPage`]s: cards and single pages as template
//! values built directly (cards shared between the lists that show them),
//! the rest as JSON; the theme renders them.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::core::escape::encode_path;
use crate::core::lang::Language;
use crate::core::lang::{format_date, format_date_weekday, format_time, rfc3339};
use crate::core::output::HtmlPage;
use crate::model::*;
use crate::render::{int, json_value, Obj};
use crate::site::Site;

/// UI strings lookup with the key itself as fallback.
pub struct Strings<'a>(pub &'a BTreeMap<String, String>);

impl Strings<'_> {
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

/// Site-relative link (base path + encoding) for a site path.
pub fn link(site: &Site, path: &str) -> String {
    encode_path(&site.config.site_path(path))
}

pub fn tag_path(slug: &str) -> String {
    format!("/tags/{slug}/")
}

fn image_url(site: &Site, img: &str) -> String {
    if img.starts_with("http://") || img.starts_with("https://") {
        img.to_string()
    } else {
        encode_path(&site.config.asset_path(img))
    }
}

fn abs_image(site: &Site, img: &str) -> String {
    if img.starts_with("http://") || img.starts_with("https://") {
        img.to_string()
    } else {
        site.config.asset_url(&encode_path(img))
    }
}

fn salary_display(s: &Salary, lang: Language, t: &Strings) -> String {
    let fmt = |v: f64| {
        let n = v.round() as i64;
        let digits = n.abs().to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        out
    };
    let cur = if s.currency == "JPY" {
        match lang {
            Language::Ja => "円".to_string(),
            Language::En => " JPY".to_string(),
        }
    } else {
        format!(" {}", s.currency)
    };
    let range = match (s.min, s.max) {
        (Some(a), Some(b)) if a == b => format!("{}{cur}", fmt(a)),
        (Some(a), Some(b)) => format!("{}{cur} – {}{cur}", fmt(a), fmt(b)),
        (Some(a), None) => format!("{}{cur} ~", fmt(a)),
        (None, Some(b)) => format!("~ {}{cur}", fmt(b)),
        (None, None) => String::new(),
    };
    format!("{range} / {}", t.get(&format!("unit_{}", s.unit)))
}

fn job_view(site: &Site, j: &JobMeta, t: &Strings) -> tera::Value {
    let lang = site.config.language;
    let closes_in_label = j.closes_in_days.filter(|d| *d <= 14).map(|d| {
        if d == 0 {
            t.get("closes_today")
        } else {
            t.get("closes_in_days").replace("{n}", &d.to_string())
        }
    });
    Obj::default()
        .set("kind", j.kind.as_str())
        .set(
            "kind_label",
            t.get(&format!("job_kind_{}", j.kind.as_str())),
        )
        .set(
            "kind_url",
            link(site, &format!("/jobs/kind/{}/", j.kind.as_str())),
        )
        .set("department", j.department.as_deref())
        .set("location", j.location.as_deref())
        .set("remote", j.remote.map(Remote::as_str))
        .set(
            "remote_label",
            j.remote.map(|r| t.get(&format!("remote_{}", r.as_str()))),
        )
        .set("employment", j.employment.as_deref())
        .set(
            "employment_label",
            j.employment
                .as_ref()
                .map(|e| t.get(&format!("employment_{e}"))),
        )
        .set(
            "salary",
            j.salary.as_ref().map(|s| salary_display(s, lang, t)),
        )
        .set("apply", j.apply.as_deref())
        .set(
            "apply_is_mail",
            j.apply
                .as_ref()
                .is_some_and(|a| a.to_ascii_lowercase().starts_with("mailto:")),
        )
        .set("closes_iso", j.closes.map(|d| d.to_string()))
        .set("closes_display", j.closes.map(|d| format_date(d, lang)))
        .set("closed", j.closed)
        .set("closes_in_days", j.closes_in_days.map(int))
        .set("closing_soon", j.closes_in_days.is_some_and(|d| d <= 14))
        .set("closes_in_label", closes_in_label)
        .build()
}

fn event_view(site: &Site, page: &Page, e: &EventMeta, t: &Strings) -> tera::Value {
    let lang = site.config.language;
    let start_date = e.start.date();
    let end_date = e.end.as_ref().map(|z| z.date());
    let multi_day = end_date.is_some_and(|d| d != start_date);
    let zone = e.start.strftime("%Z").to_string();
    let time_display = if e.all_day {
        t.get("all_day")
    } else {
        match &e.end {
            Some(end) if !multi_day => format!(
                "{}–{} ({zone})",
                format_time(e.start.time()),
                format_time(end.time())
            ),
            _ => format!("{} ({zone})", format_time(e.start.time())),
        }
    };
    let date_display = match end_date {
        Some(d) if multi_day => format!(
            "{} – {}",
            format_date_weekday(start_date, lang),
            format_date_weekday(d, lang)
        ),
        _ => format_date_weekday(start_date, lang),
    };
    let attendance = match (&e.venue, &e.online) {
        (Some(_), Some(_)) => "mixed",
        (None, Some(_)) => "online",
        _ => "offline",
    };
    let venue = e.venue.as_ref();
    Obj::default()
        .set("start_iso", rfc3339(&e.start))
        .set("end_iso", e.end.as_ref().map(rfc3339))
        .set("date_display", date_display)
        .set("time_display", time_display)
        .set("multi_day", multi_day)
        .set("all_day", e.all_day)
        .set("kind", e.kind.as_str())
        .set(
            "kind_label",
            t.get(&format!("event_kind_{}", e.kind.as_str())),
        )
        .set("venue_name", venue.and_then(|v| v.name.as_deref()))
        .set("venue_address", venue.and_then(|v| v.address.as_deref()))
        .set("online", e.online.as_deref())
        .set("attendance", attendance)
        .set(
            "attendance_label",
            t.get(&format!("attendance_{attendance}")),
        )
        .set("register", e.register.as_deref())
        .set("capacity", e.capacity)
        .set("status", e.status.as_str())
        .set(
            "status_label",
            t.get(&format!("status_{}", e.status.as_str())),
        )
        .set("cancelled", e.status == EventStatus::Cancelled)
        .set("postponed", e.status == EventStatus::Postponed)
        .set("past", e.past)
        .set("ics_url", link(site, &format!("{}event.ics", page.path)))
        .build()
}

/// Tags shown on a card: a few are enough there, and lists must not grow
/// with (tags per page)² when a page carries thousands of tags.
const CARD_TAGS: usize = 8;

fn tag_views(site: &Site, page: &Page, max: usize) -> Vec<tera::Value> {
    page.tags
        .iter()
        .take(max)
        .map(|name| {
            Obj::default()
                .set("name", name.as_str())
                .set(
                    "url",
                    site.tag(name).map(|t| link(site, &tag_path(&t.slug))),
                )
                .build()
        })
        .collect()
}

/// The card view of a page (lists, home, tags): everything but the body.
pub fn card(site: &Site, page: &Page, t: &Strings) -> tera::Value {
    let lang = site.config.language;
    let person = page.interview().and_then(|i| i.person.as_ref()).map(|p| {
        // In English, `name_en` comes first (and the name as written second).
        // (Only on a portal of several languages: one language is as before.)
        let (name, name_en) = match (&p.name_en, lang) {
            (Some(en), Language::En) if !site.config.languages.is_empty() => {
                (en.as_str(), Some(p.name.as_str()))
            }
            _ => (p.name.as_str(), p.name_en.as_deref()),
        };
        Obj::default()
            .set("name", name)
            .set("name_en", name_en)
            .set("reading", p.reading.as_deref())
            .set("joined", p.joined.as_deref())
            .set("left", p.left.as_deref())
            .set("then", p.then.as_deref())
            .set("department", p.department.as_deref())
            .set("now_company", p.now_company.as_deref())
            .set("now_role", p.now_role.as_deref())
            .build()
    });
    Obj::default()
        .set("title", page.title.as_str())
        .set("url", link(site, &page.path))
        .set("path", page.path.as_str())
        .set("kind", page.kind.name())
        .set("kind_label", t.get(&format!("kind_{}", page.kind.name())))
        .set("date_iso", page.date.as_ref().map(|d| d.date().to_string()))
        .set("datetime_iso", page.date.as_ref().map(rfc3339))
        .set(
            "date_display",
            page.date.as_ref().map(|d| format_date(d.date(), lang)),
        )
        .set("summary", page.summary.as_str())
        .set("tags", tag_views(site, page, CARD_TAGS))
        .set(
            "image",
            match crate::render::photos::page_photo(site, page) {
                Some(p) => Some(crate::render::photos::fallback_url(&site.config, p)),
                None => page.image.as_ref().map(|i| image_url(site, i)),
            },
        )
        .set(
            "photo",
            crate::render::photos::page_photo(site, page).map(|p| {
                crate::render::photos::photo_value(
                    &site.config,
                    p,
                    page.image_alt.as_deref().unwrap_or(""),
                )
            }),
        )
        .set("person", person)
        .set("job", page.job().map(|j| job_view(site, j, t)))
        .set("event", page.event().map(|e| event_view(site, page, e, t)))
        .set("lang", fallback_lang(site, page))
        .set(
            "lang_label",
            fallback_lang(site, page).map(|c| t.get(&format!("language_{c}"))),
        )
        .build()
}

/// The language of a page shown in another language's lists (`fallback:
/// true`): an untranslated page of the main language.
pub fn fallback_lang(site: &Site, page: &Page) -> Option<&'static str> {
    (!site.config.lang_prefix.is_empty() && page.lang.is_none())
        .then(|| site.config.main_language.code())
}

/// Variables that other modules add to a single page's context.
pub type PageExtras<'a> = Box<dyn Fn(&Page) -> serde_json::Map<String, Value> + Sync + 'a>;

/// Extra data for single pages that other modules contribute (JSON-LD,
/// calendar links, roster links), computed when the page is built.
pub struct Extras<'a> {
    /// Variables added to a single page's context.
    pub per_page: PageExtras<'a>,
    /// The home page's JSON-LD.
    pub home_jsonld: Option<Value>,
}

impl Default for Extras<'_> {
    fn default() -> Self {
        Extras {
            per_page: Box::new(|_| serde_json::Map::new()),
            home_jsonld: None,
        }
    }
}

fn pagination(site: &Site, base: &str, current: usize, total: usize, t: &Strings) -> Value {
    let url = |n: usize| {
        if n <= 1 {
            link(site, base)
        } else {
            link(site, &format!("{base}page/{n}/"))
        }
    };
    // A window around the current page plus the first and last: constant size,
    // so list pages do not grow with the number of pages.
    let mut shown: Vec<usize> = vec![1, total];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
    shown.sort_unstable();
    shown.dedup();
    let mut pages: Vec<Value> = Vec::with_capacity(shown.len() + 2);
    let mut last = 0;
    for n in shown {
        if n > last + 1 {
            pages.push(json!({"gap": true}));
        }
        pages.push(json!({"n": n, "url": url(n), "current": n == current, "gap": false}));
        last = n;
    }
    json!({
        "current": current,
        "total": total,
        "prev_url": if current > 1 { Some(url(current - 1)) } else { None },
        "next_url": if current < total { Some(url(current + 1)) } else { None },
        "pages": pages,
        "label": t.get("page_n_of_m").replace("{n}", &current.to_string()).replace("{m}", &total.to_string()),
    })
}

/// One HTML page to produce. Built on demand ([`Views::page`]) so that a
/// build renders and drops each page's variables in turn instead of holding
/// every page's at once.
pub enum View {
    /// The single page of `site.pages[i]`.
    Single(usize),
    /// One page of a paginated list.
    List(ListView),
    /// Built up front (few or small: home, tag index, search, 404, the
    /// directory's pages).
    Ready(std::sync::Arc<HtmlPage>),
}

/// One page of a paginated list: cards by index, the rest as it will be.
pub struct ListView {
    path: String,
    base: String,
    template: String,
    /// Title of the whole list; the page title adds `(n/total)`.
    list_title: String,
    description: String,
    n: usize,
    total: usize,
    /// Indices into the cards (`usize::MAX`: none, rendered as null).
    items: Vec<usize>,
    extra: std::sync::Arc<Value>,
}

/// Revisions of a page (`serve`): `page` changes whenever anything about
/// the page may have, `card` only when what its card shows may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rev {
    pub page: u64,
    pub card: u64,
}

/// Every content-derived HTML page of a site, and the cards they share.
pub struct Views<'a> {
    site: &'a Site,
    strings: &'a BTreeMap<String, String>,
    extras: &'a Extras<'a>,
    /// Cards by page index as template values, made on first use (a
    /// rebuild in `serve` needs only those of the pages it renders again):
    /// shared by the single and list pages that show them, where a JSON card
    /// would be copied and converted again for each.
    cards: Vec<std::sync::OnceLock<tera::Value>>,
    /// Related, previous and next interviews, by page index.
    neighbours: std::collections::HashMap<usize, crate::render::related::Neighbours>,
    pub list: Vec<View>,
}

impl Views<'_> {
    /// Free the cards and pages on a pool thread. At the end of a build,
    /// freeing them one by one was about 55 ms at 10k documents on one core
    /// while the other had nothing left to do.
    pub fn free_in_background(self) {
        let Views { cards, list, .. } = self;
        rayon::spawn(move || drop((cards, list)));
    }
}

impl<'a> Views<'a> {
    /// No views yet (see [`Views::extend_ready`]).
    pub fn empty(
        site: &'a Site,
        strings: &'a BTreeMap<String, String>,
        extras: &'a Extras<'a>,
    ) -> Self {
        Views {
            site,
            strings,
            extras,
            cards: Vec::new(),
            neighbours: Default::default(),
            list: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Site path of view `i` (`/news/page/2/`).
    pub fn path(&self, i: usize) -> &str {
        match &self.list[i] {
            View::Single(p) => &self.site.pages[*p].path,
            View::List(l) => &l.path,
            View::Ready(h) => &h.path,
        }
    }

    /// Listed in sitemap.xml (in the sitemap and indexable).
    pub fn in_sitemap(&self, i: usize) -> bool {
        match &self.list[i] {
            View::Single(p) => {
                let p = &self.site.pages[*p];
                p.is_listed() && !p.job().is_some_and(|j| j.closed)
            }
            View::List(_) => true,
            View::Ready(h) => h.in_sitemap && !h.noindex,
        }
    }

    /// Add pages built elsewhere (the directory).
    pub fn extend_ready(&mut self, pages: impl IntoIterator<Item = std::sync::Arc<HtmlPage>>) {
        self.list.extend(pages.into_iter().map(View::Ready));
    }

    /// Card `i` as a template value (null when there is no such page).
    fn card(&self, i: usize) -> tera::Value {
        match (self.cards.get(i), self.site.pages.get(i)) {
            (Some(c), Some(p)) => c
                .get_or_init(|| card(self.site, p, &Strings(self.strings)))
                .clone(),
            _ => tera::Value::none(),
        }
    }

    /// Feed what view `i` is made of into `h` without building it: the
    /// revision of each page it shows (`revs[page index]`, which changes
    /// whenever that page's document or Markdown does; for lists, that of
    /// its card) and its own shape.
    /// `ready` stands for the content of all [`View::Ready`] pages when the
    /// caller knows it (the directory's cache key). False when a revision
    /// is unknown: then only the built page can be hashed.
    pub fn hash_view<H: std::hash::Hasher>(
        &self,
        i: usize,
        revs: &[Option<Rev>],
        ready: Option<u64>,
        h: &mut H,
    ) -> bool {
        use std::hash::Hash;
        let rev = |p: usize| revs.get(p).copied().flatten();
        match &self.list[i] {
            View::Single(p) => {
                let Some(r) = rev(*p) else { return false };
                (1u8, &self.site.pages[*p].path, r.page).hash(h);
                // An interview shows the cards of its neighbours.
                for n in self.neighbours.get(p).into_iter().flat_map(|n| n.pages()) {
                    let Some(r) = rev(n) else { return false };
                    (&self.site.pages[n].path, r.card).hash(h);
                }
            }
            View::List(l) => {
                (2u8, &l.path, &l.base, &l.template, &l.list_title).hash(h);
                (&l.description, l.n, l.total).hash(h);
                crate::core::memo::hash_json(h, &*l.extra);
                for p in &l.items {
                    let Some(page) = self.site.pages.get(*p) else {
                        return false;
                    };
                    let Some(r) = rev(*p) else { return false };
                    (&page.path, r.card).hash(h);
                }
            }
            View::Ready(page) => {
                let Some(k) = ready else { return false };
                (3u8, &page.path, k).hash(h);
            }
        }
        true
    }

    /// The page of view `i`, with its template variables.
    pub fn page(&self, i: usize) -> std::borrow::Cow<'_, HtmlPage> {
        use std::borrow::Cow;
        match &self.list[i] {
            View::Ready(h) => Cow::Borrowed(&**h),
            View::Single(i) => Cow::Owned(self.single(*i)),
            View::List(l) => Cow::Owned(self.list_page(l)),
        }
    }

    fn single(&self, i: usize) -> HtmlPage {
        let site = self.site;
        let p = &site.pages[i];
        // The card and the rest of the page (template values).
        let key = |k: &str| tera::value::Key::String(k.into());
        let mut page = self.card(i).as_map().cloned().unwrap_or_default();
        page.insert(key("content"), (*p.content_html).into());
        page.insert(key("tags"), tag_views(site, p, usize::MAX).into());
        let toc: Vec<tera::Value> = p
            .headings
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| {
                Obj::default()
                    .set("id", h.id.as_str())
                    .set("text", h.text.as_str())
                    .build()
            })
            .collect();
        page.insert(key("toc"), toc.into());
        if p.kind == Kind::Interview {
            let n = self.neighbours.get(&i).cloned().unwrap_or_default();
            let cards: Vec<tera::Value> = n.related.iter().map(|j| self.card(*j)).collect();
            page.insert(key("related"), cards.into());
            for (k, j) in [("prev", n.prev), ("next", n.next)] {
                page.insert(key(k), j.map_or_else(tera::Value::none, |j| self.card(j)));
            }
            page.insert(key("quote"), crate::render::related::pull_quote(p).into());
        }
        let mut vars = serde_json::Map::new();
        vars.insert(
            "og_type".into(),
            json!(if p.kind == Kind::Page {
                "website"
            } else {
                "article"
            }),
        );
        if let Some(share) = &p.share_image {
            vars.insert(
                "og_image".into(),
                json!(site.config.asset_url(&encode_path(&share.path))),
            );
            vars.insert("og_image_width".into(), json!(share.width));
            vars.insert("og_image_height".into(), json!(share.height));
            vars.insert(
                "og_image_alt".into(),
                json!(p.image_alt.as_deref().unwrap_or(&p.title)),
            );
        } else if let Some(img) = p
            .image
            .as_deref()
            .filter(|i| crate::site::images::is_remote(i))
        {
            vars.insert("og_image".into(), json!(abs_image(site, img)));
        }
        vars.insert(
            "share_links".into(),
            crate::render::share::share_links(&site.config, &p.path, &p.title).into(),
        );
        for (k, x) in (self.extras.per_page)(p) {
            vars.insert(k, x);
        }
        let template = format!("{}.html", p.kind.name());
        let closed = p.job().is_some_and(|j| j.closed);
        HtmlPage {
            path: p.path.clone(),
            template,
            title: p.title.clone(),
            description: p.summary.clone(),
            vars: Value::Object(vars),
            values: vec![("page", page.into())],
            in_sitemap: p.is_listed(),
            noindex: closed,
        }
    }

    fn list_page(&self, l: &ListView) -> HtmlPage {
        let t = Strings(self.strings);
        let items: Vec<tera::Value> = l.items.iter().map(|i| self.card(*i)).collect();
        let mut map = serde_json::Map::new();
        map.insert(
            "pagination".into(),
            pagination(self.site, &l.base, l.n, l.total, &t),
        );
        map.insert("list_title".into(), Value::String(l.list_title.clone()));
        if let Value::Object(e) = &*l.extra {
            for (k, x) in e {
                map.insert(k.clone(), x.clone());
            }
        }
        let page_title = if l.n == 1 {
            l.list_title.clone()
        } else {
            format!("{} ({}/{})", l.list_title, l.n, l.total)
        };
        HtmlPage {
            path: l.path.clone(),
            template: l.template.clone(),
            title: page_title,
            description: l.description.clone(),
            vars: Value::Object(map),
            values: vec![("items", items.into())],
            in_sitemap: true,
            noindex: false,
        }
    }
}

/// Paginated list views for `items` (card indices) at `base` (`/news/`,
/// `/tags/採用/`).
#[allow(clippy::too_many_arguments)]
fn paginated(
    site: &Site,
    base: &str,
    template: &str,
    title: &str,
    description: &str,
    items: &[usize],
    extra: Value,
    out: &mut Vec<View>,
) {
    let per = site.config.paginate.max(1);
    let total = items.len().div_ceil(per).max(1);
    let extra = std::sync::Arc::new(extra);
    for n in 1..=total {
        let start = (n - 1) * per;
        let chunk: Vec<usize> = items.iter().skip(start).take(per).copied().collect();
        let path = if n == 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        };
        out.push(View::List(ListView {
            path,
            base: base.to_string(),
            template: template.to_string(),
            list_title: title.to_string(),
            description: description.to_string(),
            n,
            total,
            items: chunk,
            extra: extra.clone(),
        }));
    }
}

/// Open jobs on the home page: enough for a company's comeback openings to
/// be seen at once.
const HOME_JOBS: usize = 6;

/// All content-derived HTML pages, as views built on demand.
pub fn views<'a>(
    site: &'a Site,
    strings: &'a BTreeMap<String, String>,
    extras: &'a Extras<'a>,
) -> Views<'a> {
    let t = Strings(strings);
    let index_of: BTreeMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_str(), i))
        .collect();
    let idx = |p: &Page| -> usize { index_of.get(p.path.as_str()).copied().unwrap_or(usize::MAX) };
    let mut out: Vec<View> = (0..site.pages.len()).map(View::Single).collect();

    // Section lists.
    for kind in [Kind::Interview, Kind::News] {
        let items: Vec<usize> = site.listed(kind).map(idx).collect();
        let title = t.get(&format!("nav_{}", kind.dir()));
        let desc = t.get(&format!("desc_{}", kind.dir()));
        let extra = json!({"feed_url": link(site, &format!("/{}/feed.xml", kind.dir())), "list_kind": kind.name()});
        paginated(
            site,
            &format!("/{}/", kind.dir()),
            "list.html",
            &title,
            &desc,
            &items,
            extra,
            &mut out,
        );
    }
    // Jobs: open ones, and one list per job kind.
    let open = site.open_jobs();
    let kind_links: Vec<Value> = JobKind::ALL
        .iter()
        .map(|k| {
            let n = open.iter().filter(|p| p.job().is_some_and(|j| j.kind == *k)).count();
            json!({"kind": k.as_str(), "label": t.get(&format!("job_kind_{}", k.as_str())), "url": link(site, &format!("/jobs/kind/{}/", k.as_str())), "count": n})
        })
        .collect();
    let jobs_title = t.get("nav_jobs");
    let items: Vec<usize> = open.iter().map(|p| idx(p)).collect();
    let extra = json!({"feed_url": link(site, "/jobs/feed.xml"), "list_kind": "job", "job_kinds": kind_links, "all_jobs_url": link(site, "/jobs/"), "current_job_kind": Value::Null});
    paginated(
        site,
        "/jobs/",
        "list.html",
        &jobs_title,
        &t.get("desc_jobs"),
        &items,
        extra,
        &mut out,
    );
    for k in JobKind::ALL {
        let items: Vec<usize> = open
            .iter()
            .filter(|p| p.job().is_some_and(|j| j.kind == k))
            .map(|p| idx(p))
            .collect();
        let label = t.get(&format!("job_kind_{}", k.as_str()));
        let extra = json!({"feed_url": link(site, "/jobs/feed.xml"), "list_kind": "job", "job_kinds": kind_links, "all_jobs_url": link(site, "/jobs/"), "current_job_kind": k.as_str()});
        paginated(
            site,
            &format!("/jobs/kind/{}/", k.as_str()),
            "list.html",
            &format!("{jobs_title}: {label}"),
            &t.get("desc_jobs"),
            &items,
            extra,
            &mut out,
        );
    }
    // Events: upcoming and archive.
    let upcoming: Vec<usize> = site.upcoming_events().into_iter().map(idx).collect();
    let past: Vec<usize> = site.past_events().into_iter().map(idx).collect();
    let extra = json!({"feed_url": link(site, "/events/feed.xml"), "list_kind": "event", "archive_url": link(site, "/events/archive/"), "calendar_url": link(site, "/events/calendar.ics"), "webcal_url": site.config.webcal_url(), "is_archive": false});
    paginated(
        site,
        "/events/",
        "list.html",
        &t.get("nav_events"),
        &t.get("desc_events"),
        &upcoming,
        extra,
        &mut out,
    );
    let extra = json!({"feed_url": link(site, "/events/feed.xml"), "list_kind": "event", "archive_url": link(site, "/events/archive/"), "calendar_url": link(site, "/events/calendar.ics"), "webcal_url": site.config.webcal_url(), "is_archive": true, "upcoming_url": link(site, "/events/")});
    paginated(
        site,
        "/events/archive/",
        "list.html",
        &t.get("events_archive"),
        &t.get("desc_events"),
        &past,
        extra,
        &mut out,
    );

    // Tags.
    let mut tag_list: Vec<Value> = site
        .tags
        .values()
        .map(|tag| json!({"name": tag.name, "url": link(site, &tag_path(&tag.slug)), "count": tag.pages.len()}))
        .collect();
    tag_list.sort_by(|a, b| {
        b["count"]
            .as_u64()
            .cmp(&a["count"].as_u64())
            .then_with(|| a["name"].as_str().cmp(&b["name"].as_str()))
    });
    out.push(View::Ready(std::sync::Arc::new(HtmlPage {
        path: "/tags/".into(),
        template: "tags.html".into(),
        title: t.get("tags"),
        description: t.get("desc_tags"),
        vars: json!({"tags": tag_list}),
        values: Vec::new(),
        in_sitemap: true,
        noindex: false,
    })));
    for tag in site.tags.values() {
        let title = t.get("tag_title").replace("{tag}", &tag.name);
        let extra = json!({"feed_url": link(site, &format!("{}feed.xml", tag_path(&tag.slug))), "list_kind": "tag", "tag": tag.name});
        paginated(
            site,
            &tag_path(&tag.slug),
            "list.html",
            &title,
            &title,
            &tag.pages,
            extra,
            &mut out,
        );
    }

    // Home.
    let mut views = Views {
        site,
        strings,
        extras,
        cards: (0..site.pages.len())
            .map(|_| std::sync::OnceLock::new())
            .collect(),
        neighbours: crate::render::related::neighbours(site),
        list: Vec::new(),
    };
    // The first few of each (JSON cards: the home page is built up front).
    let first = |v: Vec<&Page>, n: usize| -> Vec<Value> {
        v.into_iter()
            .take(n)
            .map(|p| json_value(&card(site, p, &t)))
            .collect()
    };
    // Jobs on the home page: the comeback ones first (what alumni come for),
    // each group by deadline as `/jobs/` has them.
    let is_comeback = |p: &&Page| p.job().is_some_and(|j| j.kind == JobKind::Comeback);
    let (mut home_jobs, others): (Vec<&Page>, Vec<&Page>) =
        open.iter().copied().partition(is_comeback);
    let comeback_count = home_jobs.len();
    home_jobs.extend(others);
    let home_vars = json!({
        "interviews": first(site.listed(Kind::Interview).take(4).collect(), 4),
        "news": first(site.listed(Kind::News).take(5).collect(), 5),
        "jobs": first(home_jobs, HOME_JOBS),
        "comeback_count": comeback_count,
        "comeback_url": link(site, "/jobs/kind/comeback/"),
        "events": first(site.upcoming_events(), 3),
        "og_type": "website",
        "jsonld": extras.home_jsonld.clone(),
    });
    out.push(View::Ready(std::sync::Arc::new(HtmlPage {
        path: "/".into(),
        template: "index.html".into(),
        title: site.config.title.clone(),
        description: site.config.description.clone().unwrap_or_default(),
        vars: home_vars,
        values: Vec::new(),
        in_sitemap: true,
        noindex: false,
    })));
    out.push(View::Ready(std::sync::Arc::new(HtmlPage {
        path: "/search/".into(),
        template: "search.html".into(),
        title: t.get("search_title"),
        description: t.get("desc_search"),
        vars: json!({}),
        values: Vec::new(),
        in_sitemap: false,
        noindex: true,
    })));
    out.push(View::Ready(std::sync::Arc::new(HtmlPage {
        path: "/404.html".into(),
        template: "404.html".into(),
        title: t.get("not_found_title"),
        description: String::new(),
        vars: json!({}),
        values: Vec::new(),
        in_sitemap: false,
        noindex: true,
    })));
    views.list = out;
    views
}
