//! Deterministic corpus of synthetic product pages for the audit benchmark.
//!
//! Every page belongs to a fictional skincare shop: a product hero, description, benefits, extra
//! story sections, an FAQ, key ingredients, an INCI list, directions, warnings, sometimes
//! references, and reviews. About 70% of the claim sentences are compliant cosmetic copy and 30%
//! are overclaims of the kinds `overclaim` reports, so the benchmark exercises both the quiet path
//! and the diagnostic path. Pages alternate between HTML and Markdown and grow section by section
//! until they reach a size drawn uniformly from 5–15 KB.

use std::path::Path;

use fastrand::Rng;

/// Smallest size drawn for a page, in bytes.
const MIN_TARGET: usize = 5_000;
/// Upper bound (exclusive) of the size drawn for a page, in bytes.
const MAX_TARGET: usize = 15_000;
/// Hard ceiling: a growth step that would push a page past this is dropped.
const MAX_PAGE: usize = 16_000;
/// Column at which Markdown paragraphs are hard-wrapped.
const WRAP: usize = 80;
/// Share of claim sentences, in percent, drawn from the risky pool.
const RISKY_PERCENT: u32 = 10;

/// Writes `pages` product pages into `dir` (created if needed): half HTML (`page-00001.html`),
/// half Markdown (`page-00002.md`), alternating, each 5–15 KB, deterministic for a given `seed`.
/// Returns the total number of bytes written.
pub fn generate(dir: &Path, pages: usize, seed: u64) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::with_seed(seed);
    let mut total = 0_u64;
    for index in 1..=pages {
        let format = if index % 2 == 1 {
            Format::Html
        } else {
            Format::Markdown
        };
        let page = build_page(&mut rng, format);
        let name = format!("page-{index:05}.{}", format.extension());
        std::fs::write(dir.join(name), page.as_bytes())?;
        total += page.len() as u64;
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------------
// Word pools
// ---------------------------------------------------------------------------------------------

const NAME_FIRST: &[&str] = &[
    "Lumière", "Aqua", "Velvet", "Nova", "Solstice", "Halo", "Aurora", "Dew", "Clarté", "Botanica",
    "Pure", "Radiance", "Silk", "Éclat", "Bloom", "Opaline", "Tidal", "Saffron",
];
const NAME_TECH: &[&str] = &[
    "Exosome",
    "Peptide",
    "Ceramide",
    "Hyaluronic",
    "Niacinamide",
    "Retinal",
    "Bakuchiol",
    "Vitamin C",
    "Growth Factor",
    "Stem Cell",
    "Centella",
    "Squalane",
    "PDRN",
    "Collagen",
];
const NAME_KIND: &[&str] = &[
    "Serum",
    "Cream",
    "Booster",
    "Ampoule",
    "Essence",
    "Eye Cream",
    "Toner",
    "Sleeping Mask",
    "Night Balm",
    "Gel",
    "Concentrate",
    "Facial Oil",
    "Recovery Mist",
];
const BRANDS: &[&str] = &[
    "Maison Verre",
    "Dermaluxe",
    "Oak & Ivy",
    "Kindred Skin",
    "Nordlys",
    "Atelier Sève",
    "Lab Nine",
    "Sora Botanics",
    "Fern & Flint",
    "Calder Skin",
];
const SIZES: &[&str] = &[
    "15\u{a0}mL",
    "30\u{a0}mL",
    "50\u{a0}mL",
    "100\u{a0}mL",
    "1\u{a0}fl\u{a0}oz",
];
const ACTIVES: &[&str] = &[
    "plant-derived exosomes",
    "a tri-peptide complex",
    "sodium hyaluronate",
    "niacinamide",
    "ceramides",
    "squalane",
    "centella extract",
    "encapsulated retinal",
    "rose stem cell extract",
    "bakuchiol",
    "fermented rice water",
    "panthenol",
];
const DURATIONS: &[&str] = &[
    "7\u{a0}days",
    "2\u{a0}weeks",
    "4\u{a0}weeks",
    "28\u{a0}days",
    "6\u{a0}weeks",
    "8\u{a0}weeks",
    "12\u{a0}weeks",
    "one month",
    "3\u{a0}months",
];
const COUNTS: &[&str] = &["24", "36", "48", "120", "250", "1,200", "5,000", "10,000"];

/// Compliant cosmetic copy: appearance, feel, use, honest limits.
const COMPLIANT: &[&str] = &[
    "{p} leaves skin looking smoother and feeling soft.",
    "Helps improve the look of fine lines and uneven texture.",
    "Apply morning and evening to clean, dry skin.",
    "Results vary from person to person.",
    "This product has not been approved by the FDA, which does not approve cosmetics before sale.",
    "The lightweight texture sinks in quickly without a sticky finish.",
    "Skin feels hydrated and comfortable throughout the day.",
    "Formulated with {i} to help skin hold on to moisture.",
    "Gives skin a dewy, fresh-looking glow.",
    "Follow with a broad-spectrum sunscreen during the day.",
    "Gentle enough to use every day.",
    "In a {w} consumer perception study of {n} volunteers, {pct} said their skin felt softer [1].",
    "Makeup glides on more evenly over {p}.",
    "One {size} bottle lasts around two months with daily use.",
    "Patch test on a small area before first use.",
    "Skin looks plumper and more rested right after application.",
    "Visibly reduces the look of dryness and flaking.",
    "Leaves a soft, velvety finish that never feels greasy.",
    "Every batch is mixed and filled in our own small lab.",
    "Our {i} blend helps the skin stay supple.",
    "Store below 25\u{a0}°C and away from direct sunlight.",
    "Layer it under your usual moisturiser.",
    "Three or four drops cover the whole face and neck.",
    "The airless pump dispenses just the right amount.",
    "Skin tone looks more even with regular use.",
    "Hydrates the upper layers of the skin.",
    "Softens the feel of rough, dry patches.",
    "The glass bottle and aluminium cap are both recyclable.",
    "How quickly you notice a difference depends on your skin and your routine.",
    "Avoid the eye area; if the product gets into your eyes, rinse with plenty of water.",
    "{p} is a cosmetic and is not intended to diagnose, treat, cure or prevent any disease.",
    "Feels cool and refreshing the moment it touches the skin.",
    "Plays well with most serums, oils and moisturisers.",
    "Skin appears brighter and more radiant.",
    "Helps skin look firmer and more bouncy.",
    "Helps minimise the appearance of pores.",
    "Designed for all skin types, including skin that reacts easily.",
    "Shake gently before each use.",
    "Use within six months of opening.",
    "Smooth a thin layer over the face, avoiding the eyes and lips.",
    "Skin feels nourished and calm after cleansing.",
    "A comforting step at the end of a long day outdoors.",
    "The formula contains no added colourants.",
    "Many customers say their skin feels more comfortable after {w} of use.",
    "Works as a light primer under foundation.",
    "We publish the full ingredient list so you know exactly what you apply.",
];

/// Overclaims: drug claims, false regulatory status, absolutes, uncited figures, comparisons.
const RISKY: &[&str] = &[
    "{p} stimulates collagen production deep in the dermis.",
    "Clinically proven to reverse the signs of ageing.",
    "Reduces wrinkles by {pct} in just {w}.",
    "No side effects, ever.",
    "FDA approved for use at home.",
    "Works better than Botox, without a single needle.",
    "Delivers permanent results after one course.",
    "Regrows hair on thinning patches of the scalp.",
    "Heals acne scars and repairs damaged tissue.",
    "Exosomes are the future of regenerative medicine [citation needed].",
    "Packed with {x}x more growth factors than any other serum.",
    "Boosts elastin by {pct} within {w}.",
    "Activates fibroblasts to rebuild your skin from within.",
    "Penetrates into the dermis to speed up cell renewal.",
    "Cures eczema and rosacea naturally.",
    "Treats hyperpigmentation at its source.",
    "100% safe for pregnant and breastfeeding women.",
    "Dermatologists agree it is the most effective serum on the market.",
    "Erases crow's feet overnight.",
    "Makes you look {y} years younger.",
    "Repairs DNA damage caused by UV rays.",
    "Our stem cell technology regenerates ageing skin.",
    "Calms inflammation and speeds up wound healing.",
    "Scientifically proven to increase skin thickness by {pct}.",
    "The only exosome serum approved by regulators.",
    "Eliminates cellulite permanently.",
    "Shrinks pores by {pct}, guaranteed.",
    "Non-toxic and completely chemical-free.",
    "Hypoallergenic, so it will never cause irritation.",
    "Studies show it outperforms prescription tretinoin.",
    "Works at the cellular level to reprogram ageing cells.",
    "Heals sunburned skin overnight.",
    "Restores lost volume just like a filler injection.",
    "Lifts sagging skin without surgery.",
    "{pct} of users saw their wrinkles disappear.",
    "Speeds up cell turnover {x}x.",
    "Clinically tested to give instant results for everyone.",
    "Our exosomes come from human stem cells for maximum potency.",
    "Prevents skin cancer by neutralising free radicals.",
    "Reverses sun damage and age spots for good.",
    "Kills acne-causing bacteria on contact.",
    "Rebalances hormones to stop breakouts.",
    "Trusted by {n} doctors worldwide.",
    "The science is settled: exosomes rejuvenate skin [citation needed].",
    "Recommended by the FDA for recovery after microneedling.",
    "Doubles collagen density in {w}.",
];

/// Short benefit bullets, compliant and risky mixed.
const BENEFITS: &[&str] = &[
    "Visibly smoother texture",
    "Skin feels hydrated for hours",
    "A brighter-looking complexion",
    "Helps reduce the look of fine lines",
    "Comfortable under makeup and SPF",
    "Suitable for all skin types",
    "Fast-absorbing, non-greasy gel",
    "Helps skin look plumper",
    "Boosts collagen by {pct}",
    "Repairs the skin barrier at the cellular level",
    "Clinically proven anti-ageing",
    "Zero side effects",
    "Regenerates damaged skin",
    "{x}x more active exosomes",
    "Permanent lifting effect",
    "Leaves skin soft and supple",
    "Helps skin look more even",
    "Heals post-procedure redness",
    "Packaged in recyclable glass",
    "Made without added fragrance",
];

/// Taglines under the hero heading.
const TAGLINES: &[&str] = &[
    "Your daily dose of glow.",
    "Soft, calm, hydrated skin in one step.",
    "The serum that rewrites your skin's future.",
    "Lab-made care for skin that looks rested.",
    "A facelift in a bottle.",
    "Lightweight hydration, every single day.",
    "Real results in {w}, or your money back.",
    "Built around {i}.",
    "Regenerate. Restore. Renew.",
    "The gentle step your routine was missing.",
];

/// Headings of the description section.
const DESCRIPTION_TITLES: &[&str] = &[
    "About {p}",
    "Why you'll love it",
    "Meet {p}",
    "What it is",
    "The formula",
];

/// Headings of the extra story sections added as a page grows.
const EXTRA_TITLES: &[&str] = &[
    "The science behind {p}",
    "Why {i}?",
    "Our formulation story",
    "How it fits your routine",
    "What to expect in the first {w}",
    "From our lab",
    "Clinical results",
    "Who it is for",
    "Sustainability",
    "Texture and feel",
    "Pairing tips",
];

/// FAQ entries: a question and the lead sentence of its answer.
const FAQ: &[(&str, &str)] = &[
    (
        "Can I use {p} with retinol?",
        "Yes, apply it first and let it dry before your retinol.",
    ),
    (
        "Is {p} suitable for sensitive skin?",
        "It was formulated with reactive skin in mind, but do a patch test first.",
    ),
    (
        "How long until I see results?",
        "Most people notice softer skin within days; visible changes take longer.",
    ),
    (
        "Can I use it while pregnant?",
        "Ask your doctor or midwife before adding new products during pregnancy.",
    ),
    (
        "Does it contain real exosomes?",
        "It contains {i}; the full list is in the Ingredients section below.",
    ),
    (
        "Can I use it after microneedling?",
        "Wait until your practitioner says the skin has closed before applying anything.",
    ),
    (
        "How long does one bottle last?",
        "Used twice a day, a {size} bottle lasts about eight weeks.",
    ),
    (
        "Is the packaging recyclable?",
        "The bottle is glass and the cap is aluminium, so both can go in household recycling.",
    ),
    (
        "Is it tested on animals?",
        "No, neither the finished product nor its ingredients are tested on animals.",
    ),
    (
        "Should it go on before or after moisturiser?",
        "Before: apply from the thinnest texture to the thickest.",
    ),
    (
        "Does it have a scent?",
        "There is a faint natural scent from the botanical extracts.",
    ),
    (
        "What makes {p} different?",
        "It pairs {i} with a short, simple ingredient list.",
    ),
    (
        "Can I use it around the eyes?",
        "Keep it to the orbital bone and away from the lash line.",
    ),
    (
        "Is it FDA approved?",
        "Cosmetics are not approved by the FDA before they go on sale.",
    ),
    ("Can men use it?", "Of course; skin care has no gender."),
];

/// Links that can close a paragraph: text before, link text, target, text after.
const LINKS: &[(&str, &str, &str, &str)] = &[
    (
        "Read",
        "our layering guide",
        "/guides/layering",
        "for more tips.",
    ),
    (
        "See",
        "the full study summary",
        "/science/study-summary",
        "for the methods.",
    ),
    (
        "Browse",
        "the rest of the range",
        "/collections/all",
        "to build a routine.",
    ),
    (
        "Questions? Visit",
        "our help centre",
        "/help",
        "or write to us.",
    ),
    (
        "Compare it with",
        "our classic moisturiser",
        "/products/classic-moisturiser",
        "side by side.",
    ),
    (
        "Learn how we test in",
        "our quality notes",
        "/about/quality",
        ".",
    ),
];

/// Key ingredients and what the page says they do.
const KEY_INGREDIENTS: &[(&str, &str)] = &[
    (
        "Sodium Hyaluronate",
        "Draws water into the surface layers of the skin",
    ),
    ("Niacinamide", "Helps skin look more even and refined"),
    (
        "Glycerin",
        "A classic humectant that keeps skin comfortable",
    ),
    (
        "Plant exosomes",
        "Stimulate collagen synthesis and cell regeneration",
    ),
    (
        "Palmitoyl Tripeptide-1",
        "Signals fibroblasts to rebuild the dermal matrix",
    ),
    ("Ceramide NP", "Helps the skin barrier hold on to moisture"),
    ("Squalane", "A light emollient that softens without shine"),
    (
        "Centella Asiatica Extract",
        "Heals irritated and wounded skin",
    ),
    ("Panthenol", "Leaves skin feeling soothed and soft"),
    ("Tocopherol", "An antioxidant that protects the formula"),
    (
        "Bakuchiol",
        "A plant-based alternative with retinol-like results, clinically proven",
    ),
    ("Allantoin", "Helps skin feel smooth and calm"),
];

/// INCI names that can follow Aqua, in any order.
const INCI_BODY: &[&str] = &[
    "Glycerin",
    "Butylene Glycol",
    "Propanediol",
    "Pentylene Glycol",
    "Niacinamide",
    "Sodium Hyaluronate",
    "Hydrolyzed Hyaluronic Acid",
    "Squalane",
    "Caprylic/Capric Triglyceride",
    "Cetearyl Alcohol",
    "Glyceryl Stearate",
    "PEG-100 Stearate",
    "Dimethicone",
    "Panthenol",
    "Allantoin",
    "Betaine",
    "Trehalose",
    "Ceramide NP",
    "Ceramide AP",
    "Cholesterol",
    "Phytosphingosine",
    "Palmitoyl Tripeptide-1",
    "Palmitoyl Tetrapeptide-7",
    "Acetyl Hexapeptide-8",
    "Centella Asiatica Extract",
    "Camellia Sinensis Leaf Extract",
    "Rosa Damascena Flower Water",
    "Lactobacillus Ferment Lysate",
    "Saccharomyces Ferment Filtrate",
    "Bakuchiol",
    "Hydroxypropyl Tetrahydropyrantriol",
    "Tocopherol",
    "Tocopheryl Acetate",
    "Ascorbyl Glucoside",
    "Carbomer",
    "Xanthan Gum",
    "Sodium Polyacrylate",
    "Hydroxyethylcellulose",
    "Polysorbate 20",
    "Lecithin",
    "1,2-Hexanediol",
];

/// INCI names that sit at the end of a list: preservatives, pH adjusters, fragrance.
const INCI_TAIL: &[&str] = &[
    "Phenoxyethanol",
    "Ethylhexylglycerin",
    "Methylparaben",
    "Propylparaben",
    "Sodium Benzoate",
    "Potassium Sorbate",
    "Disodium EDTA",
    "Citric Acid",
    "Sodium Hydroxide",
    "Parfum (Fragrance)",
    "Limonene",
    "Linalool",
];

/// Directions steps.
const DIRECTIONS: &[&str] = &[
    "Cleanse and pat the skin dry.",
    "Dispense two or three drops into your palm.",
    "Press gently over the face and neck, avoiding the eyes.",
    "Let it absorb for a minute before the next step.",
    "Follow with moisturiser, and sunscreen in the morning.",
    "Use once or twice a day.",
    "Start every other day if your skin is easily irritated.",
];

/// Warnings sentences.
const WARNINGS: &[&str] = &[
    "For external use only.",
    "Avoid contact with eyes.",
    "Stop using it and ask a doctor if irritation develops.",
    "Do not apply to broken or irritated skin.",
    "Keep out of reach of children.",
    "This product may make skin more sensitive to the sun; wear sunscreen.",
];

/// Fictional references for pages with a References section.
const REFERENCES: &[&str] = &[
    "Marsh K, Idowu T. Consumer perception of a humectant serum over 4 weeks. J Cosmet Sci Pract. 2022;14(3):201-209.",
    "Okafor L, et al. Barrier lipids and transepidermal water loss in dry skin. Skin Res Notes. 2021;9(1):44-52.",
    "Brandt S, Yi H. Extracellular vesicles in topical products: a narrative review. Dermatol Rev Lett. 2023;5(2):88-97.",
    "Ferreira A. Sensory evaluation of lightweight emulsions. Int J Formul Stud. 2020;31(6):512-519.",
];

/// Review headlines.
const REVIEW_TITLES: &[&str] = &[
    "Holy grail",
    "Nice texture, modest results",
    "My skin loves it",
    "Worth the price",
    "Not for me",
    "Glowing!",
    "Good, not magic",
    "Replaced my whole routine",
    "Gentle and hydrating",
    "Miracle in a bottle",
    "Repurchased three times",
    "Okay so far",
];

/// Review sentences in the customer's voice, mixed.
const REVIEW_TEXTS: &[&str] = &[
    "Lovely texture and my skin feels soft by the morning.",
    "I have dry skin and this keeps it comfortable all day.",
    "Nice enough, but the pump stopped working after a few weeks.",
    "It took about {w} before my skin looked brighter.",
    "Not a miracle, but a solid hydrating step.",
    "It sits well under sunscreen and makeup.",
    "A little goes a long way.",
    "My skin looks more even, although I also changed my diet.",
    "A bit pricey for the size.",
    "Gentle on my reactive cheeks.",
    "I like it, my husband steals it.",
    "My wrinkles were completely gone after {w}!",
    "Better than the Botox I used to get.",
    "It healed my acne scars and my dermatologist was shocked.",
    "My hair grew back where it had been thinning.",
    "No side effects at all, unlike my prescription cream.",
    "My rosacea is cured.",
    "I look {y} years younger and everyone says so.",
    "It cleared my eczema in a week.",
    "It literally rebuilt my collagen.",
    "I used it after microneedling and my skin healed twice as fast.",
];

/// First names of reviewers.
const REVIEWERS: &[&str] = &[
    "Amelia", "Priya", "Sofia", "Hannah", "Chloé", "Grace", "Mei", "Olivia", "Fatima", "Ines",
    "Claire", "Naomi", "Jonas", "Daniel", "Marcus", "Yuki", "Lena", "Aisha", "Rosa", "Tom",
];

/// Style sheet of HTML pages.
const STYLE: &str = "\
:root{--ink:#1d1b19;--accent:#b4845a;--paper:#fbf8f4;--rule:#e6dfd6}
body{margin:0;font:16px/1.6 \"Helvetica Neue\",Arial,sans-serif;color:var(--ink);background:var(--paper)}
.site-header{display:flex;justify-content:space-between;align-items:center;padding:1rem 2rem;border-bottom:1px solid var(--rule)}
.site-header nav ul{display:flex;gap:1.5rem;list-style:none;margin:0;padding:0}
main{max-width:72rem;margin:0 auto;padding:2rem}
.hero{display:grid;grid-template-columns:1fr 1fr;gap:2rem;align-items:center}
.hero img{width:100%;height:auto;border-radius:.5rem}
.price{font-weight:600;color:var(--accent)}
details{border-top:1px solid var(--rule);padding:.75rem 0}
details summary{cursor:pointer;font-weight:600}
.inci{font-size:.85rem;color:#5b554f}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--rule)}
.review{padding:1rem 0;border-bottom:1px dashed var(--rule)}
.stars{color:#d49b2a;letter-spacing:.1em}
.site-footer{padding:2rem;font-size:.85rem;text-align:center;color:#7a736b}
@media (max-width:48rem){.hero{grid-template-columns:1fr}}
";

// ---------------------------------------------------------------------------------------------
// Page model
// ---------------------------------------------------------------------------------------------

/// Output format of a page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Html,
    Markdown,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
        }
    }
}

/// The product a page sells.
struct Product {
    name: String,
    brand: &'static str,
    slug: String,
    active: &'static str,
    size: &'static str,
    price: u32,
}

/// A run of text inside a paragraph.
enum Inline {
    Text(String),
    Strong(String),
    Link(String, &'static str),
}

/// One page, each growable part already rendered for its format.
struct Content {
    format: Format,
    head: String,
    description_open: String,
    description: Vec<String>,
    benefits_open: String,
    benefits: Vec<String>,
    extras: Vec<String>,
    faq: Vec<String>,
    tail: String,
    reviews: Vec<String>,
    footer: String,
}

impl Content {
    /// Concatenates the parts into the page text.
    fn render(&self) -> String {
        let f = self.format;
        let mut page = String::with_capacity(MAX_PAGE + 2_048);
        page.push_str(&self.head);
        page.push_str(&self.description_open);
        self.description.iter().for_each(|p| page.push_str(p));
        page.push_str(close_section(f));
        page.push_str(&self.benefits_open);
        page.push_str(match f {
            Format::Html => "<ul>\n",
            Format::Markdown => "",
        });
        self.benefits.iter().for_each(|b| page.push_str(b));
        page.push_str(match f {
            Format::Html => "</ul>\n</section>\n",
            Format::Markdown => "\n",
        });
        self.extras.iter().for_each(|e| page.push_str(e));
        page.push_str(&open_section(f, "faq", "Frequently asked questions"));
        self.faq.iter().for_each(|q| page.push_str(q));
        page.push_str(close_section(f));
        page.push_str(&self.tail);
        page.push_str(&open_section(f, "reviews", "Customer reviews"));
        self.reviews.iter().for_each(|r| page.push_str(r));
        page.push_str(close_section(f));
        page.push_str(&self.footer);
        match f {
            Format::Html => page,
            Format::Markdown => page.replace('\u{a0}', " "),
        }
    }
}

/// The parts a page can grow by.
#[derive(Clone, Copy)]
enum Growth {
    Paragraph,
    Benefit,
    Faq,
    Review,
    Extra,
}

/// Builds one page of `format` whose size is drawn from `MIN_TARGET..MAX_TARGET`.
fn build_page(rng: &mut Rng, format: Format) -> String {
    let product = new_product(rng);
    let target = rng.usize(MIN_TARGET..MAX_TARGET);
    let mut w = Writer {
        rng,
        format,
        product,
        used: Vec::new(),
    };
    let mut content = Content {
        format,
        head: w.head(),
        description_open: {
            let template = w.pick(DESCRIPTION_TITLES);
            let title = w.fill(template);
            open_section(format, "description", &title)
        },
        description: (0..3).map(|_| w.paragraph(2, 5)).collect(),
        benefits_open: {
            let title = w.pick(&["Benefits", "Key benefits", "What it does"]);
            open_section(format, "benefits", title)
        },
        benefits: (0..4).map(|_| w.benefit()).collect(),
        extras: Vec::new(),
        faq: Vec::new(),
        tail: w.tail(),
        reviews: vec![w.review()],
        footer: w.footer(),
    };
    let mut questions = FAQ.to_vec();
    w.rng.shuffle(&mut questions);
    let mut questions = questions.into_iter();
    for question in questions.by_ref().take(3) {
        content.faq.push(w.faq(question));
    }

    let mut page = content.render();
    while page.len() < target {
        let mut options = vec![Growth::Review, Growth::Extra];
        if content.description.len() < 8 {
            options.push(Growth::Paragraph);
        }
        if content.benefits.len() < 8 {
            options.push(Growth::Benefit);
        }
        if content.faq.len() < 6 {
            options.push(Growth::Faq);
        }
        match w.pick(&options) {
            Growth::Paragraph => content.description.push(w.paragraph(2, 5)),
            Growth::Benefit => content.benefits.push(w.benefit()),
            Growth::Faq => match questions.next() {
                Some(question) => content.faq.push(w.faq(question)),
                None => content.reviews.push(w.review()),
            },
            Growth::Review => content.reviews.push(w.review()),
            Growth::Extra => content.extras.push(w.extra_section()),
        }
        let next = content.render();
        if next.len() > MAX_PAGE {
            break;
        }
        page = next;
    }
    page
}

/// Draws a product: name, brand, size, price and hero ingredient.
fn new_product(rng: &mut Rng) -> Product {
    let name = format!(
        "{} {} {}",
        NAME_FIRST[rng.usize(..NAME_FIRST.len())],
        NAME_TECH[rng.usize(..NAME_TECH.len())],
        NAME_KIND[rng.usize(..NAME_KIND.len())],
    );
    let slug = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'è' | 'é' => 'e',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect();
    Product {
        name,
        brand: BRANDS[rng.usize(..BRANDS.len())],
        slug,
        active: ACTIVES[rng.usize(..ACTIVES.len())],
        size: SIZES[rng.usize(..SIZES.len())],
        price: rng.u32(19..=149),
    }
}

/// Draws text for one page and renders it in the page's format.
struct Writer<'a> {
    rng: &'a mut Rng,
    format: Format,
    product: Product,
    /// Templates already used on this page, avoided while fresh ones are easy to find.
    used: Vec<&'static str>,
}

impl Writer<'_> {
    /// One element of a non-empty pool.
    fn pick<T: Copy>(&mut self, pool: &[T]) -> T {
        pool[self.rng.usize(..pool.len())]
    }

    /// An element of a non-empty pool, preferably one this page has not used yet.
    fn pick_fresh(&mut self, pool: &[&'static str]) -> &'static str {
        let mut choice = self.pick(pool);
        for _ in 0..6 {
            if !self.used.contains(&choice) {
                break;
            }
            choice = self.pick(pool);
        }
        self.used.push(choice);
        choice
    }

    /// `count` distinct elements of a pool, in random order.
    fn pick_distinct<T: Copy>(&mut self, pool: &[T], count: usize) -> Vec<T> {
        let mut items = pool.to_vec();
        self.rng.shuffle(&mut items);
        items.truncate(count);
        items
    }

    /// Replaces the `{slot}`s of a template with drawn values.
    fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 24);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let key = &after[..end];
            match key {
                "p" => out.push_str(&self.product.name),
                "i" => out.push_str(self.product.active),
                "size" => out.push_str(self.product.size),
                "w" => out.push_str(self.pick(DURATIONS)),
                "n" => out.push_str(self.pick(COUNTS)),
                "pct" => out.push_str(&format!("{}%", self.rng.u32(12..=97))),
                "x" => out.push_str(&self.rng.u32(2..=10).to_string()),
                "y" => out.push_str(&self.rng.u32(5..=15).to_string()),
                _ => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A claim sentence: risky with probability `RISKY_PERCENT`, compliant otherwise.
    fn claim(&mut self) -> String {
        let pool = if self.rng.u32(0..100) < RISKY_PERCENT {
            RISKY
        } else {
            COMPLIANT
        };
        let template = self.pick_fresh(pool);
        self.fill(template)
    }

    /// Text escaped for the page's format (entities in HTML, as is in Markdown).
    fn text(&self, s: &str) -> String {
        match self.format {
            Format::Html => html_escape(s),
            // No-break spaces keep "4 weeks" on one line when wrapping; `render` drops them.
            Format::Markdown => s.to_owned(),
        }
    }

    /// A paragraph of `min..=max` claim sentences, with occasional emphasis and a closing link.
    fn paragraph(&mut self, min: usize, max: usize) -> String {
        let count = self.rng.usize(min..=max);
        let mut inlines = Vec::with_capacity(count + 3);
        for _ in 0..count {
            let sentence = self.claim();
            if self.rng.u32(0..10) == 0 {
                inlines.push(Inline::Strong(sentence));
            } else {
                inlines.push(Inline::Text(sentence));
            }
        }
        if self.rng.u32(0..6) == 0 {
            let (before, label, href, after) = self.pick(LINKS);
            inlines.push(Inline::Text(before.to_owned()));
            inlines.push(Inline::Link(label.to_owned(), href));
            inlines.push(Inline::Text(after.to_owned()));
        }
        self.render_paragraph(&inlines)
    }

    /// Renders inline runs as one paragraph block.
    fn render_paragraph(&self, inlines: &[Inline]) -> String {
        let mut body = String::new();
        for inline in inlines {
            let piece = match (self.format, inline) {
                (_, Inline::Text(t)) => self.text(t),
                (Format::Html, Inline::Strong(t)) => format!("<strong>{}</strong>", self.text(t)),
                (Format::Markdown, Inline::Strong(t)) => format!("**{}**", self.text(t)),
                (Format::Html, Inline::Link(t, href)) => {
                    format!("<a href=\"{href}\">{}</a>", self.text(t))
                }
                (Format::Markdown, Inline::Link(t, href)) => format!("[{}]({href})", self.text(t)),
            };
            // A link sentence's final "." sticks to the link.
            if !body.is_empty() && piece != "." {
                body.push(' ');
            }
            body.push_str(&piece);
        }
        match self.format {
            Format::Html => format!("<p>{body}</p>\n"),
            Format::Markdown => format!("{}\n\n", wrap(&body, "", "")),
        }
    }

    /// A paragraph with a fixed `label:` prefix (label sections such as INGREDIENTS).
    fn labelled(&self, label: &str, body: &str, class: &str) -> String {
        match self.format {
            Format::Html => format!("<p class=\"{class}\">{label}: {}</p>\n", self.text(body)),
            Format::Markdown => format!(
                "{}\n\n",
                wrap(&format!("{label}: {}", self.text(body)), "", "")
            ),
        }
    }

    /// One benefit bullet.
    fn benefit(&mut self) -> String {
        let template = self.pick_fresh(BENEFITS);
        let text = self.fill(template);
        match self.format {
            Format::Html => format!("<li>{}</li>\n", self.text(&text)),
            Format::Markdown => format!("- {}\n", self.text(&text)),
        }
    }

    /// One FAQ entry: the question and an answer of a lead sentence and 1–2 claims.
    fn faq(&mut self, (question, lead): (&str, &str)) -> String {
        let question = self.fill(question);
        let mut answer = vec![Inline::Text(self.fill(lead))];
        for _ in 0..self.rng.usize(1..=2) {
            answer.push(Inline::Text(self.claim()));
        }
        let answer = self.render_paragraph(&answer);
        match self.format {
            Format::Html => format!(
                "<details>\n<summary>{}</summary>\n{answer}</details>\n",
                self.text(&question)
            ),
            Format::Markdown => format!("### {}\n\n{answer}", self.text(&question)),
        }
    }

    /// An extra story section of 1–2 paragraphs.
    fn extra_section(&mut self) -> String {
        let template = self.pick_fresh(EXTRA_TITLES);
        let title = self.fill(template);
        let mut section = open_section(self.format, "story", &title);
        for _ in 0..self.rng.usize(1..=2) {
            section.push_str(&self.paragraph(2, 4));
        }
        section.push_str(close_section(self.format));
        section
    }

    /// One customer review.
    fn review(&mut self) -> String {
        let title = self.pick(REVIEW_TITLES);
        let stars = self.rng.usize(2..=5);
        let rating = format!("{}{}", "★".repeat(stars), "☆".repeat(5 - stars));
        let mut text = Vec::new();
        for _ in 0..self.rng.usize(1..=3) {
            let template = self.pick_fresh(REVIEW_TEXTS);
            text.push(self.fill(template));
        }
        let text = self.text(&text.join(" "));
        let author = format!(
            "{} {}., {}",
            self.pick(REVIEWERS),
            self.rng.uppercase(),
            self.rng.u32(19..=72)
        );
        match self.format {
            Format::Html => format!(
                "<article class=\"review\">\n<h3>{}</h3>\n\
                 <p class=\"stars\" aria-label=\"{stars} out of 5 stars\">{rating}</p>\n\
                 <p>{text}</p>\n<p class=\"author\">&mdash; {}</p>\n</article>\n",
                self.text(title),
                self.text(&author)
            ),
            Format::Markdown => format!(
                "### {title}\n\n{rating} · *{author}*\n\n{}\n\n",
                wrap(&text, "> ", "> ")
            ),
        }
    }

    /// Everything before the description: document head, site header and hero.
    fn head(&mut self) -> String {
        let tagline_template = self.pick(TAGLINES);
        let tagline = self.fill(tagline_template);
        let alt = self.claim();
        let size = self.text(self.product.size);
        let price = self.product.price;
        match self.format {
            Format::Html => {
                let meta = format!("{} {}", self.claim(), self.claim());
                let ld = self.pick(RISKY);
                let ld = self.fill(ld);
                let name = self.text(&self.product.name);
                let brand = self.text(self.product.brand);
                let slug = &self.product.slug;
                format!(
                    "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                     <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
                     <title>{name} &ndash; {brand}</title>\n\
                     <meta name=\"description\" content=\"{meta}\">\n\
                     <meta property=\"og:title\" content=\"{name}\">\n\
                     <link rel=\"canonical\" href=\"https://shop.example/products/{slug}\">\n\
                     <style>\n{STYLE}</style>\n\
                     <script type=\"application/ld+json\">\n\
                     {{\"@context\":\"https://schema.org\",\"@type\":\"Product\",\"name\":\"{ld_name}\",\
                     \"brand\":{{\"@type\":\"Brand\",\"name\":\"{ld_brand}\"}},\
                     \"description\":\"{ld_description}\",\
                     \"offers\":{{\"@type\":\"Offer\",\"price\":\"{price}.00\",\"priceCurrency\":\"USD\"}}}}\n\
                     </script>\n</head>\n<body>\n\
                     <header class=\"site-header\">\n<a class=\"logo\" href=\"/\">{brand}</a>\n\
                     <nav aria-label=\"Main\">\n<ul>\n<li><a href=\"/shop\">Shop</a></li>\n\
                     <li><a href=\"/routines\">Routines</a></li>\n\
                     <li><a href=\"/science\">Science &amp; Studies</a></li>\n\
                     <li><a href=\"/about\">About</a></li>\n</ul>\n</nav>\n</header>\n\
                     <main id=\"content\">\n<section class=\"hero\">\n<h1>{name}</h1>\n\
                     <p class=\"tagline\"><em>{tagline}</em></p>\n\
                     <p class=\"price\">${price} &middot; {size}</p>\n\
                     <img src=\"/media/{slug}.webp\" alt=\"{alt}\" width=\"640\" height=\"640\" loading=\"lazy\">\n\
                     </section>\n",
                    meta = attr_escape(&meta),
                    ld_name = json_escape(&self.product.name),
                    ld_brand = json_escape(self.product.brand),
                    ld_description = json_escape(&ld),
                    tagline = self.text(&tagline),
                    alt = attr_escape(&alt),
                )
            }
            Format::Markdown => format!(
                "[Home](/) › [Shop](/shop) › {name}\n\n# {name}\n\n**{brand} · {size} · ${price}**\n\n\
                 *{tagline}*\n\n![{alt}](/media/{slug}.webp)\n\n",
                name = self.product.name,
                brand = self.product.brand,
                tagline = self.text(&tagline),
                alt = self.text(&alt),
                slug = self.product.slug,
            ),
        }
    }

    /// Everything between the FAQ and the reviews: key ingredients table, INCI list, an
    /// occasional stockist code block (Markdown), directions, warnings and references.
    fn tail(&mut self) -> String {
        let f = self.format;
        let mut tail = String::with_capacity(3_000);

        // Key ingredients table.
        let rows = self.rng.usize(3..=4);
        let keys = self.pick_distinct(KEY_INGREDIENTS, rows);
        tail.push_str(&open_section(f, "key-ingredients", "Key ingredients"));
        match f {
            Format::Html => {
                tail.push_str(
                    "<table>\n<thead><tr><th>Ingredient</th><th>What it does</th></tr></thead>\n<tbody>\n",
                );
                for (name, role) in &keys {
                    tail.push_str(&format!(
                        "<tr><td>{}</td><td>{}</td></tr>\n",
                        self.text(name),
                        self.text(role)
                    ));
                }
                tail.push_str("</tbody>\n</table>\n");
            }
            Format::Markdown => {
                tail.push_str("| Ingredient | What it does |\n| --- | --- |\n");
                for (name, role) in &keys {
                    tail.push_str(&format!("| {name} | {role} |\n"));
                }
                tail.push('\n');
            }
        }
        tail.push_str(close_section(f));

        // INCI list: water first, a shuffled body, then preservatives and fragrance.
        let body_count = self.rng.usize(12..=24);
        let tail_count = self.rng.usize(2..=5);
        let mut inci = vec!["Aqua (Water)"];
        inci.extend(self.pick_distinct(INCI_BODY, body_count));
        inci.extend(self.pick_distinct(INCI_TAIL, tail_count));
        tail.push_str(&open_section(f, "ingredients", "Ingredients"));
        tail.push_str(&self.labelled("INGREDIENTS", &format!("{}.", inci.join(", ")), "inci"));
        tail.push_str(close_section(f));

        // An occasional code block for stockists (skipped by the Markdown reader).
        if f == Format::Markdown && self.rng.u32(0..3) == 0 {
            let claim = self.pick(RISKY);
            let claim = self.fill(claim);
            tail.push_str(&format!(
                "## For stockists\n\nPaste this into your product feed:\n\n```json\n\
                 {{\n  \"sku\": \"{sku}\",\n  \"name\": \"{name}\",\n  \"price\": {price},\n  \
                 \"badge\": \"{badge}\"\n}}\n```\n\n",
                sku = self.product.slug.to_uppercase(),
                name = json_escape(&self.product.name),
                price = self.product.price,
                badge = json_escape(&claim),
            ));
        }

        // Directions.
        let steps = self.rng.usize(2..=4);
        let steps = self.pick_distinct(DIRECTIONS, steps);
        tail.push_str(&open_section(f, "directions", "Directions"));
        match f {
            Format::Html => {
                tail.push_str("<ol>\n");
                for step in &steps {
                    tail.push_str(&format!("<li>{}</li>\n", self.text(step)));
                }
                tail.push_str("</ol>\n");
            }
            Format::Markdown => {
                for (n, step) in steps.iter().enumerate() {
                    tail.push_str(&format!("{}. {step}\n", n + 1));
                }
                tail.push('\n');
            }
        }
        tail.push_str(close_section(f));

        // Warnings.
        let count = self.rng.usize(2..=4);
        let warnings = self.pick_distinct(WARNINGS, count).join(" ");
        tail.push_str(&open_section(f, "warnings", "Warnings"));
        tail.push_str(&self.labelled("WARNINGS", &warnings, "warnings"));
        tail.push_str(close_section(f));

        // References, on half the pages.
        if self.rng.bool() {
            let count = self.rng.usize(1..=3);
            let references = self.pick_distinct(REFERENCES, count);
            tail.push_str(&open_section(f, "references", "References"));
            match f {
                Format::Html => {
                    tail.push_str("<ol>\n");
                    for reference in &references {
                        tail.push_str(&format!("<li>{}</li>\n", self.text(reference)));
                    }
                    tail.push_str("</ol>\n");
                }
                Format::Markdown => {
                    for (n, reference) in references.iter().enumerate() {
                        tail.push_str(&wrap(reference, &format!("{}. ", n + 1), "   "));
                        tail.push('\n');
                    }
                    tail.push('\n');
                }
            }
            tail.push_str(close_section(f));
        }
        tail
    }

    /// The site footer (and, in HTML, the closing tags and the page script).
    fn footer(&mut self) -> String {
        let brand = self.text(self.product.brand);
        match self.format {
            Format::Html => {
                let disclaimer = self.text(COMPLIANT[4]);
                format!(
                    "</main>\n<footer class=\"site-footer\">\n\
                     <p>&copy; 2025 {brand}. All rights reserved.</p>\n\
                     <p><a href=\"/privacy\">Privacy</a> &middot; <a href=\"/terms\">Terms</a> &middot; \
                     <a href=\"/contact\">Contact</a></p>\n\
                     <p>Orders placed before 2&nbsp;pm ship the same day &ndash; we&rsquo;ll email \
                     you the tracking link.</p>\n\
                     <p class=\"disclaimer\">{disclaimer}</p>\n</footer>\n\
                     <script>\n(function () {{\n  var faq = document.querySelectorAll('.faq details');\n  \
                     faq.forEach(function (item) {{\n    item.addEventListener('toggle', function () {{\n      \
                     if (!item.open) return;\n      faq.forEach(function (other) {{ if (other !== item) other.open = false; }});\n    \
                     }});\n  }});\n  window.dataLayer = window.dataLayer || [];\n  \
                     window.dataLayer.push({{ event: 'view_item', item_name: \"{name}\", price: {price}, \
                     badge: 'Clinically proven & FDA approved' }});\n}})();\n</script>\n</body>\n</html>\n",
                    name = json_escape(&self.product.name),
                    price = self.product.price,
                )
            }
            Format::Markdown => format!(
                "---\n\n*© 2025 {brand}.* [Privacy](/privacy) · [Terms](/terms) · [Contact](/contact)\n"
            ),
        }
    }
}

/// Opens a section with its `<h2>` (HTML) or `##` heading (Markdown).
fn open_section(format: Format, class: &str, title: &str) -> String {
    match format {
        Format::Html => format!(
            "<section class=\"{class}\">\n<h2>{}</h2>\n",
            html_escape(title)
        ),
        Format::Markdown => format!("## {title}\n\n"),
    }
}

/// Closes a section opened by `open_section`.
fn close_section(format: Format) -> &'static str {
    match format {
        Format::Html => "</section>\n",
        Format::Markdown => "",
    }
}

/// Escapes text content for HTML, with typographic apostrophes and `&nbsp;`.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&rsquo;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted HTML attribute.
fn attr_escape(s: &str) -> String {
    html_escape(s).replace('"', "&quot;")
}

/// Escapes text for a JSON string literal inside a script or code block.
fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            c => out.push(c),
        }
    }
    out
}

/// Greedy word wrap at `WRAP` columns; `first` prefixes the first line, `rest` the others.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / WRAP * 4 + 8);
    out.push_str(first);
    let mut column = first.chars().count();
    let mut line_empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let width = word.chars().count();
        if !line_empty && column + 1 + width > WRAP {
            out.push('\n');
            out.push_str(rest);
            column = rest.chars().count();
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += width;
        line_empty = false;
    }
    out
}

#[cfg(test)]
mod tests {
    // Only `#[test]` functions live here: a bench built without the test harness still sets
    // `cfg(test)` under `clippy --all-targets`, and any helper would be dead code there.

    #[test]
    fn same_seed_same_bytes() {
        use super::generate;
        /// The pages in `dir`, sorted by name, with their bytes.
        fn pages(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
            let mut pages: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| {
                    let path = e.unwrap().path();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read(&path).unwrap())
                })
                .collect();
            pages.sort();
            pages
        }
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let total_a = generate(a.path(), 12, 42).unwrap();
        let total_b = generate(b.path(), 12, 42).unwrap();
        assert_eq!(total_a, total_b);
        assert_eq!(pages(a.path()), pages(b.path()));
        let c = tempfile::tempdir().unwrap();
        generate(c.path(), 12, 43).unwrap();
        assert_ne!(pages(a.path()), pages(c.path()));
    }

    #[test]
    fn sizes_formats_and_headings() {
        use super::{MAX_PAGE, MIN_TARGET, WRAP, generate};
        let dir = tempfile::tempdir().unwrap();
        let total = generate(&dir.path().join("nested"), 60, 7).unwrap();
        let mut pages: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&path).unwrap())
            })
            .collect();
        pages.sort();
        assert_eq!(pages.len(), 60);
        assert_eq!(
            total,
            pages.iter().map(|(_, b)| b.len() as u64).sum::<u64>()
        );
        assert_eq!(pages[0].0, "page-00001.html");
        assert_eq!(pages[1].0, "page-00002.md");
        let mut html = 0;
        let mut markdown = 0;
        for (name, bytes) in &pages {
            assert!(
                (MIN_TARGET..=MAX_PAGE).contains(&bytes.len()),
                "{name}: {} bytes",
                bytes.len()
            );
            let text = std::str::from_utf8(bytes).unwrap();
            assert!(text.contains("INGREDIENTS: Aqua (Water), "), "{name}");
            if name.ends_with(".html") {
                html += 1;
                assert!(text.starts_with("<!doctype html>"), "{name}");
                assert!(text.contains("<h1"), "{name}");
                assert!(text.contains("<details>"), "{name}");
                assert!(text.trim_end().ends_with("</html>"), "{name}");
            } else {
                markdown += 1;
                assert!(name.ends_with(".md"), "{name}");
                assert!(text.contains("\n# "), "{name}");
                assert!(text.contains("| --- | --- |"), "{name}");
                // Paragraphs are wrapped; tables, links, images, code and the footer are not.
                let wrapped = |l: &&str| !l.starts_with(['|', '[', '!', ' ', '*']);
                for line in text.lines().filter(wrapped) {
                    assert!(line.chars().count() <= WRAP + 10, "{name}: {line}");
                }
            }
        }
        assert_eq!((html, markdown), (30, 30));
    }

    #[test]
    fn templates_fill_every_slot() {
        use super::*;
        let mut rng = Rng::with_seed(1);
        let mut w = Writer {
            format: Format::Html,
            product: new_product(&mut rng),
            rng: &mut rng,
            used: Vec::new(),
        };
        let pools = [
            COMPLIANT,
            RISKY,
            BENEFITS,
            TAGLINES,
            DESCRIPTION_TITLES,
            EXTRA_TITLES,
            REVIEW_TEXTS,
        ];
        for template in pools.iter().flat_map(|p| p.iter()) {
            let filled = w.fill(template);
            assert!(!filled.contains('{') && !filled.contains('}'), "{template}");
        }
        for (question, answer) in FAQ {
            assert!(!w.fill(question).contains('{') && !w.fill(answer).contains('{'));
        }
        assert!(COMPLIANT.len() >= 40 && RISKY.len() >= 40);
        // The HTML footer quotes this one as its disclaimer.
        assert!(COMPLIANT[4].contains("not been approved by the FDA"));
    }
}
