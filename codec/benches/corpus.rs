//! The benchmark corpus: realistic client events, made deterministically.
//!
//! Mostly `m.message` events as clients send them (HTML and plain `m.text`, sometimes
//! mentions, a reply relation, a custom block, `unsigned`), with images, files, polls and
//! emotes mixed in, multilingual text, and the envelope fields a client sees (`event_id`,
//! `sender`, `room_id`, `origin_server_ts`).

use exev::generate::SplitMix64;

/// The corpus's random choices, from the generator `exev gen` uses.
struct Rng(SplitMix64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i).copied().unwrap_or("")
    }
}

const WORDS: &[&str] = &[
    "hello",
    "matrix",
    "room",
    "server",
    "federation",
    "café",
    "naïve",
    "über",
    "日本語",
    "😀",
    "encryption",
    "thread",
    "reply",
    "the",
    "a",
    "is",
    "on",
    "with",
    "event",
    "tomorrow",
    "meeting",
    "🚀",
    "déjà",
    "vu",
    "client",
    "bridge",
    "Привет",
    "مرحبا",
];

fn sentence(rng: &mut Rng, words: u64) -> String {
    let n = 3 + rng.below(words);
    (0..n)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn envelope(rng: &mut Rng, i: usize) -> String {
    format!(
        r#""event_id":"$ev{i}-{:x}","sender":"@user{}:example.org","room_id":"!room{}:example.org","origin_server_ts":{},"unsigned":{{"age":{}}}"#,
        rng.next() & 0xFFFF_FFFF,
        rng.below(50),
        rng.below(5),
        1_700_000_000_000u64 + rng.below(100_000_000),
        rng.below(100_000)
    )
}

fn message(rng: &mut Rng, i: usize) -> String {
    let plain = sentence(rng, 25);
    let html = format!("<p>{}</p><b>{}</b>", plain, rng.pick(WORDS));
    let mut blocks = vec![format!(
        r#""m.text":[{{"body":"{html}","mimetype":"text/html"}},{{"body":"{plain}"}}]"#
    )];
    if rng.below(3) == 0 {
        blocks.push(format!(
            r#""m.mentions":{{"user_ids":["@user{}:example.org"]}}"#,
            rng.below(50)
        ));
    }
    if rng.below(4) == 0 {
        blocks.push(format!(
            r#""m.relates_to":{{"m.in_reply_to":{{"event_id":"$ev{}"}}}}"#,
            rng.below(1000)
        ));
    }
    if rng.below(3) == 0 {
        blocks.push(format!(
            r#""org.example.custom":{{"level":{},"tags":["a","b"],"note":"{}"}}"#,
            rng.below(10),
            sentence(rng, 5)
        ));
    }
    format!(
        r#"{{"type":"m.message","content":{{{}}},{}}}"#,
        blocks.join(","),
        envelope(rng, i)
    )
}

fn image(rng: &mut Rng, i: usize) -> String {
    format!(
        r#"{{"type":"m.image","content":{{"m.text":[{{"body":"photo.jpg (48 KB)"}}],"m.file":{{"url":"mxc://example.org/{:x}","name":"photo.jpg","mimetype":"image/jpeg","size":{}}},"m.image_details":{{"width":1024,"height":768}},"m.thumbnail":[{{"m.file":{{"url":"mxc://example.org/t{:x}","mimetype":"image/webp","size":{}}},"m.image_details":{{"width":320,"height":240}}}}],"m.caption":{{"m.text":[{{"body":"{}"}}]}}}},{}}}"#,
        rng.next() & 0xFFFF_FFFF,
        40_000 + rng.below(20_000),
        rng.next() & 0xFFFF,
        2_000 + rng.below(3_000),
        sentence(rng, 8),
        envelope(rng, i)
    )
}

fn poll(rng: &mut Rng, i: usize) -> String {
    let answers: Vec<String> = (0..2 + rng.below(4))
        .map(|a| {
            format!(
                r#"{{"m.id":"a{a}","m.text":[{{"body":"{}"}}]}}"#,
                sentence(rng, 2)
            )
        })
        .collect();
    format!(
        r#"{{"type":"m.poll.start","content":{{"m.text":[{{"body":"{}"}}],"m.poll":{{"kind":"m.disclosed","max_selections":1,"question":{{"m.text":[{{"body":"{}"}}]}},"answers":[{}]}}}},{}}}"#,
        sentence(rng, 10),
        sentence(rng, 6),
        answers.join(","),
        envelope(rng, i)
    )
}

fn emote(rng: &mut Rng, i: usize) -> String {
    format!(
        r#"{{"type":"m.emote","content":{{"m.text":[{{"body":"{}"}}],"m.automated":{}}},{}}}"#,
        sentence(rng, 6),
        rng.below(2) == 0,
        envelope(rng, i)
    )
}

/// `count` events as JSON bytes: 70 % messages, 10 % each images, polls and emotes.
pub(crate) fn events(count: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng(SplitMix64::new(0x5EED_1767));
    (0..count)
        .map(|i| {
            let json = match rng.below(10) {
                0 => image(&mut rng, i),
                1 => poll(&mut rng, i),
                2 => emote(&mut rng, i),
                _ => message(&mut rng, i),
            };
            json.into_bytes()
        })
        .collect()
}
