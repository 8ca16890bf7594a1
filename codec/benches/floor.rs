//! The floor under every decoder into the model: the corpus's events built again from a
//! stream of tokens read in advance, with nothing of any format left to parse.
//!
//! Each string is still checked as UTF-8 and copied into its own `String`, each object is a
//! `BTreeMap` filled one member at a time, and the event is built from its parts as the
//! decoders build it. What this costs, any codec's decoder into `Event` costs at least,
//! whatever its wire format: it is the share of decoding the model itself takes.

use std::hint::black_box;

use exev::{Content, Event, Number, Object, Value};

/// One token of a value, in document order.
pub(crate) enum Token {
    Null,
    Bool(bool),
    Integer(i64),
    Number(Number),
    /// A string: its bytes in the shared text buffer.
    String(usize, usize),
    /// An object of this many members, each a `Key` and then its value.
    Object(usize),
    /// A member's key: its bytes in the shared text buffer.
    Key(usize, usize),
    /// An array of this many items.
    Array(usize),
}

/// The corpus as tokens: per event its type, its content and its other members.
pub(crate) struct Tokens {
    pub(crate) text: Vec<u8>,
    pub(crate) events: Vec<Vec<Token>>,
}

impl Tokens {
    pub(crate) fn new(events: &[Event]) -> Tokens {
        let mut text = Vec::new();
        let events = events
            .iter()
            .map(|event| {
                let mut tokens = Vec::new();
                let event_type = Value::String(event.event_type().to_owned());
                flatten(&event_type, &mut tokens, &mut text);
                let content = Value::Object(event.content().as_object().clone());
                flatten(&content, &mut tokens, &mut text);
                flatten(
                    &Value::Object(event.other().clone()),
                    &mut tokens,
                    &mut text,
                );
                tokens
            })
            .collect();
        Tokens { text, events }
    }

    /// Event `i` built from its tokens.
    pub(crate) fn build(&self, i: usize) -> Event {
        let mut tokens = self.events[i].iter();
        let mut next = || build(&mut tokens, &self.text);
        let (Value::String(event_type), Value::Object(content), Value::Object(other)) =
            (next(), next(), next())
        else {
            unreachable!("tokens of an event")
        };
        Event::from_parts(event_type, Content::from_object(content), other).unwrap()
    }
}

/// Appends `s` to `text`; returns where it is.
fn append(text: &mut Vec<u8>, s: &str) -> (usize, usize) {
    let at = text.len();
    text.extend_from_slice(s.as_bytes());
    (at, s.len())
}

fn flatten(value: &Value, tokens: &mut Vec<Token>, text: &mut Vec<u8>) {
    match value {
        Value::Null => tokens.push(Token::Null),
        Value::Bool(b) => tokens.push(Token::Bool(*b)),
        Value::Integer(i) => tokens.push(Token::Integer(*i)),
        Value::Number(n) => tokens.push(Token::Number(n.clone())),
        Value::String(s) => {
            let (at, len) = append(text, s);
            tokens.push(Token::String(at, len));
        }
        Value::Array(items) => {
            tokens.push(Token::Array(items.len()));
            for item in items {
                flatten(item, tokens, text);
            }
        }
        Value::Object(members) => {
            tokens.push(Token::Object(members.len()));
            for (key, member) in members {
                let (at, len) = append(text, key);
                tokens.push(Token::Key(at, len));
                flatten(member, tokens, text);
            }
        }
        _ => unreachable!("the corpus has no other values"),
    }
}

/// The string at `at..at + len` of `text`, checked as UTF-8 as a decoder must.
fn string(text: &[u8], at: usize, len: usize) -> String {
    std::str::from_utf8(black_box(&text[at..at + len]))
        .unwrap()
        .to_owned()
}

fn build(tokens: &mut std::slice::Iter<'_, Token>, text: &[u8]) -> Value {
    match tokens.next().unwrap() {
        Token::Null => Value::Null,
        Token::Bool(b) => Value::Bool(*b),
        Token::Integer(i) => Value::Integer(*i),
        Token::Number(n) => Value::Number(n.clone()),
        Token::String(at, len) => Value::String(string(text, *at, *len)),
        Token::Array(n) => {
            let mut items = Vec::new();
            for _ in 0..*n {
                items.push(build(tokens, text));
            }
            Value::Array(items)
        }
        Token::Object(n) => {
            let mut members = Object::new();
            for _ in 0..*n {
                let Some(Token::Key(at, len)) = tokens.next() else {
                    unreachable!("a key before each member")
                };
                let key = string(text, *at, *len);
                members.insert(key, build(tokens, text));
            }
            Value::Object(members)
        }
        Token::Key(..) => unreachable!("a key outside an object"),
    }
}
