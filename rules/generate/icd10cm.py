#!/usr/bin/env python3
"""Generates rules/lexicon/conditions-icd10cm.yaml, the lexicon class `condition.medical`: names of
diseases, symptoms, injuries and infections taken from the ICD-10-CM code titles.

    python3 rules/generate/icd10cm.py        # rewrites the lexicon file; same input, same output

Source: ICD-10-CM, the US clinical modification of ICD-10 maintained by the CDC's National Center
for Health Statistics (public domain), as shipped in the PyPI package simple-icd-10-cm 1.5.0
(MIT licence; its data file is the April 2026 tabular list). The package is fetched with
`pip download` into a temporary folder; nothing is installed.

A title gives its short condition names: the parts of the title between commas, "and", "of",
"due to", ... that are one to three words of letters, with qualifiers ("other", "unspecified",
"acute", "left") removed, and whose last word names a condition: it ends as medical words do
(-itis, -osis, -oma, -emia, -algia, ...) or is one of the condition nouns below (pain, fracture,
ulcer, syndrome, ...). Anatomy, agents and circumstances ("fibula", "insecticides") are not
conditions and are left out. Names that are cosmetic concerns in the hand-kept class
`concern.cosmetic` (rules/lexicon/concerns.yaml) are left out: for those, the cosmetic reading
wins. Names that a more specific hand-kept class of rules/lexicon/conditions.yaml or targets.yaml
holds (acne, wounds and scars, hair loss, pigmentation, inflammation, ...) are left to it, so a claim
is judged by one rule; the hand-kept `condition.disease` words are taken in, so that this one
class names every disease a treatment verb may meet. Last, the class holds medical word
formation: any word ending as ENDINGS below (`*itis`), except the everyday words in
NOT_MEDICAL (`!aroma`). Names too generic to show a medical claim on their own ("disorder", "injury") are left out
too (the disease class holds the generic words that rules need).
"""
import os, re, subprocess, sys, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.dirname(HERE)
OUT = os.path.join(RULES, "lexicon", "conditions-icd10cm.yaml")
CONCERNS = os.path.join(RULES, "lexicon", "concerns.yaml")
PACKAGE = "simple-icd-10-cm==1.5.0"

# Chapters whose titles name conditions: A-N (diseases), O (pregnancy), Q (malformations),
# R (symptoms), S-T (injuries, burns, poisoning). V-Z are external causes and encounters.
CHAPTERS = set("ABCDEFGHIJKLMNOQRST")
SPLIT = re.compile(r",|;| and | or | of | with | without | due to | in | following | "
                   r"associated with | complicating | affecting | involving | not elsewhere | "
                   r"classified | except | from | by | to | at | on | as | for | other than ")
QUALIFIERS = {
    "other", "unspecified", "specified", "acute", "chronic", "primary", "secondary", "left",
    "right", "bilateral", "unilateral", "multiple", "single", "mild", "moderate", "severe",
    "recurrent", "persistent", "initial", "subsequent", "encounter", "sequela", "late", "early",
    "congenital", "acquired", "unknown", "elsewhere", "certain", "localized", "generalized",
    "superficial", "deep", "minor", "major", "partial", "complete", "total", "simple",
    "complicated", "uncomplicated", "nontraumatic", "traumatic", "idiopathic", "essential",
    "personal", "family", "history", "status", "type", "stage", "site", "sites", "part", "parts",
    "region", "unilateral", "upper", "lower", "anterior", "posterior", "external", "internal",
    "a", "an", "the", "any", "all", "each", "both", "its", "their", "this", "that", "these",
    "nos", "not", "no", "non", "without", "with",
}
# Words that are conditions in ICD but too generic, or everyday words, to be one alone.
GENERIC = {
    "disorder", "disorders", "disease", "diseases", "condition", "conditions", "injury",
    "injuries", "abnormality", "abnormalities", "abnormal", "findings", "finding", "symptoms",
    "symptom", "signs", "sign", "complication", "complications", "effect", "effects", "problem",
    "problems", "anomaly", "anomalies", "deformity", "deformities", "malformation",
    "malformations", "lesion", "lesions", "changes", "change", "contact", "exposure", "use",
    "care", "examination", "screening", "observation", "absence", "presence", "failure",
    "dependence", "contraception", "pregnancy", "delivery", "labor", "birth", "newborn",
    "fetus", "mother", "child", "person", "persons", "body", "skin", "hair", "nail", "nails",
    "eye", "eyes", "ear", "ears", "face", "head", "neck", "hand", "hands", "foot", "feet",
    "back", "leg", "legs", "arm", "arms", "lip", "lips", "mouth", "nose", "scalp", "finger",
    "fingers", "toe", "toes", "knee", "hip", "shoulder", "wrist", "ankle", "elbow", "thigh",
    "chest", "abdomen", "tissue", "tissues", "cells", "cell", "blood", "water", "food", "heat",
    "cold", "light", "sun", "air", "fall", "falls", "burn", "burns", "poisoning", "toxic",
    "foreign", "object", "device", "implant", "graft", "procedure", "surgery", "operation",
    "drug", "drugs", "medicament", "medicaments", "substance", "substances", "agent", "agents",
    "stress", "sleep", "weight", "growth", "development", "function", "functions", "level",
    "levels", "count", "test", "tests", "result", "results", "reaction", "reactions", "loss",
    "gain", "mass", "swelling", "lump", "spots", "spot", "marks", "mark", "pigmentation",
    "discoloration", "dryness", "redness", "aging", "ageing", "age", "senility", "fatigue",
    "tiredness", "weakness", "excess", "deficiency", "overweight", "underweight", "tightness",
}
WORD = re.compile(r"^[a-z][a-z'\-]*[a-z]$")
ENDINGS = ("itis", "itides", "osis", "oma", "omas", "emia", "emias", "aemia", "algia",
           "pathy", "pathies", "plasia", "trophy", "rrhea", "rrhoea", "rrhage", "penia", "megaly",
           "iasis", "uria", "ectasia", "philia", "phobia", "plegia", "paresis", "spasm",
           "spasms", "stenosis", "sclerosis", "lithiasis", "edema", "oedema")
HEADS = {
    "pain", "pains", "ache", "aches", "headache", "migraine", "infection", "infections", "fever",
    "cough", "fracture", "fractures", "wound", "wounds", "ulcer", "ulcers", "cancer", "cancers",
    "tumor", "tumors", "tumour", "tumours", "syndrome", "bleeding", "hemorrhage", "rash", "itch",
    "itching", "inflammation", "sprain", "strain", "bite", "bites", "sting", "stings", "cyst",
    "cysts", "polyp", "polyps", "hernia", "stones", "insufficiency", "palsy", "paralysis",
    "seizure", "seizures", "epilepsy", "asthma", "diabetes", "hypertension", "hypotension",
    "obesity", "nausea", "vomiting", "diarrhea", "diarrhoea", "constipation", "insomnia", "apnea",
    "apnoea", "depression", "anxiety", "dementia", "psychosis", "autism", "allergy", "allergies",
    "eczema", "acne", "gout", "lupus", "scabies", "lice", "warts", "wart", "herpes", "measles",
    "mumps", "rubella", "influenza", "flu", "covid", "tuberculosis", "malaria", "leprosy",
    "pneumonia", "sepsis", "shingles", "embolism", "aneurysm", "stroke", "infarction", "angina",
    "arrhythmia", "fibrillation", "murmur", "cataract", "cataracts", "blindness", "deafness",
    "tinnitus", "vertigo", "dizziness", "pruritus", "urticaria", "hives", "vitiligo", "alopecia",
    "baldness", "hirsutism", "keloid", "keloids", "scar", "scars", "scarring", "burns", "blister",
    "blisters", "abscess", "abscesses", "boil", "boils", "carbuncle", "furuncle", "impetigo",
    "rosacea", "melasma", "chilblains", "frostbite", "sunstroke", "jaundice", "anemia", "anaemia",
    "leukemia", "lymphoma", "melanoma", "carcinoma", "sarcoma", "neuralgia", "neuropathy",
    "arthritis", "dermatitis", "colitis", "gastritis", "cystitis", "hepatitis", "bronchitis",
    "sinusitis", "tendinitis", "bursitis", "psoriasis", "osteoporosis", "endometriosis",
    "thrombosis", "fibrosis", "cirrhosis", "incontinence", "impotence", "infertility",
    "dysfunction", "deficiency", "intolerance", "poisoning", "toxicity", "dependence",
    "addiction", "disorder", "disease", "cramps", "cramp", "colic", "reflux", "heartburn",
    "indigestion", "bloating", "flatulence", "hemorrhoids", "haemorrhoids", "varices",
    "thrush", "candidiasis", "ringworm", "tinea", "mycosis", "plague", "cholera", "typhoid",
    "dysentery", "rabies", "tetanus", "diphtheria", "pertussis", "smallpox", "chickenpox",
    "varicella", "zoster", "conjunctivitis", "glaucoma", "keratitis", "otitis", "tonsillitis",
    "laryngitis", "pharyngitis", "stomatitis", "gingivitis", "periodontitis", "caries",
    "cavities", "toothache", "halitosis", "sciatica", "lumbago", "spondylosis", "scoliosis",
    "dislocation", "contusion", "laceration", "concussion", "trauma", "shock", "coma",
    "stiffness", "soreness", "numbness", "tingling", "flushes",
    "hypothyroidism", "hyperthyroidism", "goiter", "goitre", "menopause", "amenorrhea",
    "dysmenorrhea", "hypoglycemia", "hyperglycemia", "cholesterol", "hyperlipidemia",
}


CONDITIONS = os.path.join(RULES, "lexicon", "conditions.yaml")
# Everyday words with a medical ending.
NOT_MEDICAL = ["aroma", "aromas", "diploma", "diplomas", "stoma", "soma", "coma", "comas",
               "sauna", "mania", "philosophy", "empathy", "sympathy", "apathy", "telepathy",
               "trophy", "trophies", "osmosis", "symbiosis", "hypnosis", "prognosis",
               "diagnosis", "diagnoses", "thesis", "synthesis", "photosynthesis", "emphasis",
               "oasis", "genesis", "nemesis", "hydrophilia", "technophobia", "cinephilia",
               "biophilia", "nostalgia"]


def quoted(text):
    return [w.lower() for w in re.findall(r'"([^"]+)"', text)]


def concerns():
    """The cosmetic concerns of rules/lexicon/concerns.yaml."""
    return set(quoted(open(CONCERNS, encoding="utf-8").read()))


TARGETS = os.path.join(RULES, "lexicon", "targets.yaml")


def hand_kept():
    """(words of condition.disease, words of the more specific condition and target classes)."""
    text = open(CONDITIONS, encoding="utf-8").read() + open(TARGETS, encoding="utf-8").read()
    disease, specific = [], set()
    for block in re.split(r"\n\s*- id: ", text)[1:]:
        name = block.split()[0]
        words = quoted(block)
        if name == "condition.disease":
            disease = words
        else:
            specific.update(w.rstrip("*") for w in words)
    return disease, specific


def titles():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d",
                        tmp, PACKAGE], check=True)
        wheel = next(f for f in os.listdir(tmp) if f.endswith(".whl"))
        with zipfile.ZipFile(os.path.join(tmp, wheel)) as z:
            z.extractall(tmp)
        sys.path.insert(0, tmp)
        import simple_icd_10_cm as icd
        codes = icd.get_all_codes(False)
        return [(c, icd.get_description(c)) for c in codes
                if icd.is_category_or_subcategory(c) and c[0] in CHAPTERS]


def names(title):
    title = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", title.lower())
    for part in SPLIT.split(f" {title} "):
        words = [w for w in re.split(r"\s+", part.strip()) if w]
        while words and words[0] in QUALIFIERS:
            words.pop(0)
        while words and words[-1] in QUALIFIERS:
            words.pop()
        if not 1 <= len(words) <= 3 or not all(WORD.match(w) for w in words):
            continue
        if any(w in QUALIFIERS for w in words):
            continue
        name = " ".join(words)
        if len(name) < 4 or (len(words) == 1 and name in GENERIC):
            continue
        yield name


def main():
    cosmetic = concerns()
    disease, specific = hand_kept()
    found = set()
    for _, title in titles():
        for name in names(title):
            last = name.split()[-1]
            condition = last in HEADS or last.endswith(ENDINGS)
            if condition and name not in cosmetic and not (" " not in name and name in GENERIC):
                found.add(name)
    found = {n for n in found if not any(n == w or n.endswith(" " + w) for w in specific)}
    words = sorted(found | set(disease))
    endings = [f"*{e}" for e in ENDINGS] + [f"!{w}" for w in NOT_MEDICAL]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# GENERATED by rules/generate/icd10cm.py from ICD-10-CM (CDC/NCHS, public domain) via the\n")
        f.write(f"# PyPI package {PACKAGE}; do not edit by hand. {len(words)} names.\n")
        f.write("# Naming one of these next to a treatment verb presents the product as a medicine.\n")
        f.write("classes:\n  - id: condition.medical\n")
        f.write("    doc: Diseases, symptoms, injuries and infections named in the ICD-10-CM code titles,\n")
        f.write("      the hand-kept disease words, and medical word endings.\n")
        f.write("    words:\n")
        for w in endings + words:
            f.write(f'      - "{w}"\n')
    print(f"wrote {OUT}: {len(words)} names, {len(endings)} word endings and exceptions")


if __name__ == "__main__":
    main()
