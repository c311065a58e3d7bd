"""A deterministic corpus of product descriptions: HTML pages mixing overclaims with honest copy."""

import json
import random
from pathlib import Path

OVERCLAIMS = [
    "Cures eczema and psoriasis in days.",
    "Clinically proven to erase wrinkles overnight.",
    "Heals acne scars permanently.",
    "100% safe for everyone, with no side effects.",
    "Treats rosacea at the source.",
    "Boosts collagen production by 300%.",
    "Reverses the signs of ageing in one week.",
    "The best serum in the world.",
    "Dermatologist approved and hypoallergenic.",
    "Completely chemical-free and non-toxic.",
    "Repairs damaged DNA in your skin cells.",
    "Prevents skin cancer.",
    "Eliminates cellulite for good.",
    "Our exosomes regenerate skin like stem cells.",
    "Guaranteed results or your money back: wrinkles vanish instantly.",
    "Detoxifies your skin and removes toxins.",
    "Scientifically proven to regrow hair.",
    "Heals sunburn and soothes dermatitis.",
    "Works better than Botox, without needles.",
    "Fades dark spots 10x faster than any other cream.",
]

HONEST = [
    "A lightweight moisturiser for daily use.",
    "Apply a pea-sized amount to clean skin, morning and evening.",
    "Contains glycerin, squalane and shea butter.",
    "Helps skin feel softer and smoother.",
    "Leaves a subtle, non-greasy finish.",
    "Suitable for use under make-up.",
    "Store in a cool, dry place away from sunlight.",
    "Avoid contact with eyes; rinse with water if contact occurs.",
    "In a consumer test of 48 women over 4 weeks, 81% said their skin felt more hydrated.",
    "Fragrance added. Recyclable glass bottle.",
    "Made in France.",
    "Hydrates the upper layers of the skin.",
    "A gentle cleanser that removes make-up and daily grime.",
    "Gives a temporary plumping look thanks to hyaluronic acid.",
    "Use daily with a broad-spectrum sunscreen.",
    "Patch test before first use.",
]

PRODUCTS = ["Serum", "Night Cream", "Cleanser", "Toner", "Eye Gel", "Face Oil", "Mask", "Balm"]
BRANDS = ["Aurelle", "Lumiere", "Verdant", "Nordlys", "Solenne", "Kaia"]


def descriptions(count: int, seed: int = 20240) -> list[tuple[str, str]]:
    """`count` (id, HTML) product descriptions, the same for the same seed.

    About a third are honest copy only; the rest mix one to three overclaims into it, in
    paragraphs and bullet lists under a product heading.
    """
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        claims = [] if rng.random() < 0.35 else rng.sample(OVERCLAIMS, rng.randint(1, 3))
        sentences = claims + rng.sample(HONEST, rng.randint(1, 4))
        rng.shuffle(sentences)
        split = rng.randint(0, len(sentences))
        paragraph = " ".join(sentences[:split])
        bullets = "".join(f"<li>{s}</li>" for s in sentences[split:])
        html = f"<h2>{rng.choice(BRANDS)} {rng.choice(PRODUCTS)}</h2>"
        if paragraph:
            html += f"<p>{paragraph}</p>"
        if bullets:
            html += f"<ul>{bullets}</ul>"
        rows.append((f"p{n:05d}", html))
    return rows


def write_jsonl(rows: list[tuple[str, str]], path: Path) -> None:
    """The rows as the command line's JSON Lines input: one {"id", "html"} record a line."""
    with path.open("w", encoding="utf-8") as out:
        for id, html in rows:
            out.write(json.dumps({"id": id, "html": html}) + "\n")
