//! Writing TOML text directly, in the layout `uv.lock` has.
//!
//! uv builds its lock with `toml_edit` and default decoration. Building the same `toml_edit`
//! tree only to print it was most of the rendering's time and memory at 1,000 members (the
//! tree is ~25 times the size of its text), so the text is written here in the same layout:
//! `key = value` lines, a blank line before every table header but the text's first, inline
//! tables as `{ key = value, key = value }`, arrays as `[a, b]` or one element per line with
//! a trailing comma. Keys and strings are encoded by `toml_writer`, the encoder `toml_edit`
//! itself uses, so quoting and escapes are the same to the byte.

use std::fmt::Write as _;

use toml_writer::TomlWrite as _;

/// TOML text under construction.
#[derive(Default)]
pub(crate) struct TomlText {
    text: String,
}

impl TomlText {
    /// `key = value` on a line of its own; `value` writes the value.
    pub fn entry(&mut self, key: &str, value: impl FnOnce(Value<'_>)) {
        push_key(&mut self.text, key);
        self.text.push_str(" = ");
        value(Value {
            text: &mut self.text,
        });
        self.text.push('\n');
    }

    /// A `[a.b]` table header.
    pub fn table(&mut self, path: &[&str]) {
        self.header(path, "[", "]");
    }

    /// A `[[a.b]]` header: one more table of an array of tables.
    pub fn array_of_tables(&mut self, path: &[&str]) {
        self.header(path, "[[", "]]");
    }

    fn header(&mut self, path: &[&str], open: &str, close: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(open);
        for (index, key) in path.iter().enumerate() {
            if index > 0 {
                self.text.push('.');
            }
            push_key(&mut self.text, key);
        }
        self.text.push_str(close);
        self.text.push('\n');
    }

    /// The text written so far.
    pub fn into_string(self) -> String {
        self.text
    }
}

/// How an array's elements are laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `[a, b]`.
    Inline,
    /// Each element on its own line, indented four spaces, with a trailing comma: adding an
    /// element then changes one line of a diff.
    OnePerLine,
}

/// The place of one value, to be written once.
pub(crate) struct Value<'t> {
    text: &'t mut String,
}

impl Value<'_> {
    /// A string, quoted and escaped as `toml_edit` does by default.
    pub fn string(self, value: &str) {
        // Writing to a `String` cannot fail.
        let _ = self.text.value(value);
    }

    /// An integer.
    pub fn integer(self, value: u64) {
        let _ = write!(self.text, "{value}");
    }

    /// `{ key = value, ... }`, or `{}` when `fill` writes nothing.
    pub fn inline_table(self, fill: impl FnOnce(&mut InlineTable<'_>)) {
        self.text.push('{');
        let mut table = InlineTable {
            text: &mut *self.text,
            empty: true,
        };
        fill(&mut table);
        let empty = table.empty;
        self.text.push_str(if empty { "}" } else { " }" });
    }

    /// An array of `items`, each written by `write`.
    pub fn array<I: IntoIterator>(
        self,
        layout: Layout,
        items: I,
        mut write: impl FnMut(Value<'_>, I::Item),
    ) {
        self.text.push('[');
        for (index, item) in items.into_iter().enumerate() {
            match layout {
                Layout::Inline if index > 0 => self.text.push_str(", "),
                Layout::Inline => {}
                Layout::OnePerLine => self.text.push_str("\n    "),
            }
            write(
                Value {
                    text: &mut *self.text,
                },
                item,
            );
            if layout == Layout::OnePerLine {
                self.text.push(',');
            }
        }
        if layout == Layout::OnePerLine {
            // `toml_edit` writes the trailing newline of an empty array too.
            self.text.push('\n');
        }
        self.text.push(']');
    }

    /// An array of strings.
    pub fn strings<'s>(self, layout: Layout, items: impl IntoIterator<Item = &'s str>) {
        self.array(layout, items, |value, item| value.string(item));
    }
}

/// An inline table being written.
pub(crate) struct InlineTable<'t> {
    text: &'t mut String,
    empty: bool,
}

impl InlineTable<'_> {
    /// One `key = value` pair.
    pub fn entry(&mut self, key: &str, value: impl FnOnce(Value<'_>)) {
        self.text.push_str(if self.empty { " " } else { ", " });
        self.empty = false;
        push_key(self.text, key);
        self.text.push_str(" = ");
        value(Value {
            text: &mut *self.text,
        });
    }

    /// `key = "value"`.
    pub fn string(&mut self, key: &str, value: &str) {
        self.entry(key, |slot| slot.string(value));
    }
}

/// A key, bare where TOML allows it and quoted otherwise, as `toml_edit` writes it.
fn push_key(text: &mut String, key: &str) {
    let _ = text.key(key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_uv_lock() {
        let mut toml = TomlText::default();
        toml.entry("version", |value| value.integer(1));
        toml.entry("markers", |value| {
            value.strings(Layout::OnePerLine, ["a == 'b'", "c"])
        });
        toml.table(&["manifest"]);
        toml.entry("one", |value| value.strings(Layout::Inline, ["x"]));
        toml.entry("none", |value| value.strings(Layout::Inline, []));
        toml.array_of_tables(&["package"]);
        toml.entry("source", |value| {
            value.inline_table(|table| {
                table.string("registry", "../links");
                table.entry("extra", |value| value.strings(Layout::Inline, ["a", "b"]));
            })
        });
        toml.entry("empty", |value| value.inline_table(|_| {}));
        toml.table(&["package", "dev.tools", "quoted key"]);
        toml.entry("text", |value| value.string("say \"hi\""));
        assert_eq!(
            toml.into_string(),
            "version = 1\n\
             markers = [\n    \"a == 'b'\",\n    \"c\",\n]\n\
             \n[manifest]\n\
             one = [\"x\"]\n\
             none = []\n\
             \n[[package]]\n\
             source = { registry = \"../links\", extra = [\"a\", \"b\"] }\n\
             empty = {}\n\
             \n[package.\"dev.tools\".\"quoted key\"]\n\
             text = 'say \"hi\"'\n"
        );
    }

    /// Keys and strings that need quoting, escapes or another kind of string are written as
    /// `toml_edit`, which uv uses, writes them.
    #[test]
    fn keys_and_strings_are_encoded_as_toml_edit_encodes_them() {
        let awkward = [
            "plain",
            "with space",
            "dot.ted",
            "",
            "quote \" inside",
            "apostrophe ' inside",
            "both ' and \"",
            "new\nline",
            "tab\there",
            "back\\slash",
            "control \u{1} char",
            "unicode é ß 字",
            "python_full_version >= '3.12' and sys_platform == 'win32'",
            "'''triple'''",
            "\"\"\"",
        ];
        for text in awkward {
            let mut ours = TomlText::default();
            ours.table(&["t", text]);
            ours.entry(text, |value| value.string(text));
            ours.entry("inline", |value| {
                value.inline_table(|table| table.string(text, text))
            });
            let mut inner = toml_edit::Table::new();
            inner.insert(text, toml_edit::value(text));
            let mut inline = toml_edit::InlineTable::new();
            inline.insert(text, toml_edit::Value::from(text));
            inner.insert("inline", toml_edit::value(inline));
            let mut outer = toml_edit::Table::new();
            outer.set_implicit(true);
            outer.insert(text, toml_edit::Item::Table(inner));
            let mut document = toml_edit::DocumentMut::new();
            document.insert("t", toml_edit::Item::Table(outer));
            assert_eq!(ours.into_string(), document.to_string(), "{text:?}");
        }
    }

    #[test]
    fn a_header_first_in_the_text_has_no_blank_line() {
        let mut toml = TomlText::default();
        toml.array_of_tables(&["package"]);
        toml.entry("name", |value| value.string("a"));
        assert_eq!(toml.into_string(), "[[package]]\nname = \"a\"\n");
    }
}
