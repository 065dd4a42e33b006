"""The wording of allocation letters, bokmål and nynorsk: what a sentence says about an amount.

Pure functions over strings; `extract` decides where sentences and posts come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reconcile.letters.statements import Kind
from reconcile.posts import Post

_I = re.IGNORECASE

# "kap. 671, post 73", "kapittel 671, post 71", "kap. 671 post 21",
# "kap. 1502 Tilskudd til …, post 70", "kap. 671 Bosetting av flyktninger …, post 21"
# The name between kapittel and post may hold an abbreviation ("Tilskudd til forskning mv., post 70").
POST_REFERENCE = re.compile(
    r"\bkap(?:ittel|\.)?\s*0?(?P<kap>\d{3,4})\b(?P<between>(?:[^.;:\d]|(?<=\bmv)\.|(?<=\bm\.m)\.|(?<=\bbl\.a)\.){0,120}?)"
    r"[,]?\s*\bpost\s*(?P<post>\d{1,2})\b",
    _I,
)
# "Kap. 1510 …", and the Svalbard budget's small numbers in capitals: "KAP 2 TILSKUDD TIL …".
KAP_HEADING = re.compile(r"^\s*(?:kap(?:ittel|\.)?\s*0?(?P<kap>\d{3,4})\b|(?-i:KAP\.?\s+(?P<small>\d{1,2})\s+(?=[A-ZÆØÅ]{2})))", _I)
POST_HEADING = re.compile(r"^\s*post\s+(?P<post>\d{1,2})\b", _I)
SECTION_HEADING = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÆØÅ][^.]*$")
ASSIGNMENT_START = re.compile(r"^\s*oppdrag\b", _I)
ASSIGNMENT_ID = re.compile(r"^\s*oppdrag\s*nr\.?\s*(?P<year>\d{4})\s*-\s*(?P<number>\d{1,3})\b", _I)
ASSIGNMENT_REFERENCE = re.compile(r"\bjf\.?\s*(?:oppdrag|oppdraget)\s*(?:nr\.?\s*)?(?P<id>\d{4}\s*-\s*\d{1,3})\b", _I)
POST_TABLE_HEADER = re.compile(r"\bkap\.?\s*/\s*post\b", _I)
# "Kap. Post Betegnelse Beløp": kapittel and post in columns of their own.
COLUMN_TABLE_HEADER = re.compile(r"^\s*kap(?:ittel|\.)?\s+post(?:nr\.?)?\s+\S", _I)
POST_TABLE_ROW = re.compile(r"^\s*0?(?P<kap>\d{3,4})\s*/\s*(?P<post>\d{2})\b(?P<rest>.*)$")
COLUMN_TABLE_ROW = re.compile(r"^\s*0?(?P<kap>\d{3,4})\s+(?P<post>\d{2})\s+(?P<rest>\D.*)$")
COLUMN_TABLE_KAP = re.compile(r"^\s*0?(?P<kap>\d{3,4})\s+(?P<rest>[A-ZÆØÅ]\D*)$")
COLUMN_TABLE_POST = re.compile(r"^\s*(?P<post>\d{2})\s+(?P<rest>[A-ZÆØÅ].*)$")
TABLE_SUM_ROW = re.compile(r"^\s*(?:sum|totalt?|i\s+alt|til\s+sammen|til\s+saman)\b", _I)
LIST_ITEM = re.compile(r"^\s*[-–•·▪]\s+")
# The unit of a table's figures, in its header or the line that introduces it: "(i 1 000 kr)",
# "Beløp i 1000 kroner", "(NOK 1 000)", "i tusen kroner", "(mill. kroner)", "i millionar kroner".
# Only with "i" before it or in parentheses, so that "økes med 1 000 kroner" or "12,5 MNOK" in a
# sentence is not taken for a unit.
_THOUSAND = r"(?:1[ \u00a0\u202f.]?000|tusen)"
_MILLION = r"(?:mill(?:\.|ioner|ionar)?|millionar)"
_KRONER = r"(?:kr\b\.?|kroner\b|nok\b)"
TABLE_UNIT = re.compile(
    rf"(?P<thousand>\bi\s+{_THOUSAND}\s*{_KRONER}|\(\s*(?:i\s+)?{_THOUSAND}\s*{_KRONER}\s*\)"
    rf"|\bi\s+{_KRONER}\s*{_THOUSAND}(?![0-9])|\(\s*(?:i\s+)?{_KRONER}\s*{_THOUSAND}\s*\))"
    rf"|(?P<million>\bi\s+{_MILLION}\s*{_KRONER}|\(\s*(?:i\s+)?{_MILLION}\s*{_KRONER}\s*\)"
    rf"|\bi\s+mnok\b|\(\s*(?:i\s+)?mnok\s*\)|\(\s*(?:i\s+)?nok\s*mill\b\.?\s*\))",
    _I,
)

CARRY_OVER_CONTEXT = re.compile(
    r"ubrukt\s+(?:bevilgning|løyving)|overføring\s+av\s+ubrukt|overførte?\s+midler|overført\s+fr[aå]\s+(?:i\s+fjor|20\d\d)"
    r"|overføres\s+fr[aå]\s+20\d\d",
    _I,
)
# "Det er overført 45 mill. kroner fra 2024 på kap. 1320, post 30": the sentence itself says the
# amount is last year's, where no heading or paragraph has set up a carry-over section.
CARRIED_OVER_VERB = re.compile(r"\boverfør(?:t|es|ast)\s+(?:totalt\s+|samla?\s+)?$", _I)
FROM_LAST_YEAR = re.compile(r"\bfr[aå]\s+(?:i\s*fjor|fjoråret|forrige\s+år|20\d\d)\b", _I)
CARRY_OVER_LIMIT = re.compile(r"kan\s+ikk(?:j)?e\s+overstige\s+(?P<percent>\d+(?:,\d+)?)\s*(?:pst\.?|prosent|%)", _I)
SUBJECT_TO_PARLIAMENT = re.compile(
    r"\bforesl[åa]r\b|\bforeslått\b|\bforeslo\b|\bføreslår\b|\bføreslått\b|\bføreslo\b"
    r"|forbehold\s+om\s+Stortingets|atterhald\s+om\s+Stortingets|dersom\s+forslaget\s+(?:vedtas|blir\s+vedteke)", _I
)
ENACTED = re.compile(
    r"\ber\s+bevilget\b|\ber\s+løyvd\b|\ber\s+økt\b|\ber\s+auka\b|\bhar\s+vedtatt\b|\bhar\s+vedteke\b|\bvedtok\b", _I
)
EARMARK = re.compile(
    r"\bset(?:ter|tes|t|ast)?\s+av\b|\bsett(?:es|ast)?\s+av\b|\bsatt\s+av\b|\bavset(?:ter|tes|t|jast)?\b|\bavsatt\b"
    r"|\børemerke|\bøyremerk|\btilleggsbevilgning\b"
    r"|\btilleggsløyving\b|\bstil(?:t|les|last)\s+til\s+disposisjon\b"
    r"|\bstill(?:er|ar)\b.{0,120}\btil\s+disposisjon\b|\btilde(?:les|last|lt)\b|\btildel(?:er|ar)\b",
    _I,
)
THRESHOLD_BEFORE = re.compile(
    r"(?:\bover|\bunder|\binntil|\bopp\s+til|\bmaks(?:imalt)?|\bhøyst|\bminst|\bmer\s+enn|\bmindre\s+enn|\bover\s+kr\.?)\s*$",
    _I,
)
RATE_AFTER = re.compile(r"^\s*(?:i\s+tilskot[t]?\s+|i\s+tilskudd\s+)?(?:for\s+kvar|for\s+hver|per|pr\.)\s", _I)

_INCREASE = (r"økes|økast|økt|øket|øke|øker|auke[sr]?|aukast|auka|aukar|oppjusteres|oppjustert|oppjustera|justeres\s+opp"
             r"|forhøyes|forhøyet|forhøyast|forhøgd|forhøgast|forhøye|forhøge"
             r"|justert\s+opp|styrkes|styrket|styrkt|styrka|styrkjast|set(?:tes|t|jast)?\s+opp|sett\s+opp|satt\s+opp")
_DECREASE = (r"reduseres|redusert|redusere[sr]?|reduserast|redusera|kuttes|kuttet|kutta|kuttast|trekkes|trekt|trekkjast"
             r"|nedjusteres|nedjustert|nedjustera|justeres\s+ned|justert\s+ned|innsparing"
             r"|set(?:tes|t|jast)?\s+ned|sett\s+ned|satt\s+ned|nedsettes|nedsatt|nedsett|nedsetjast|nedsette|nedsetje")
# A change whose direction is the amount's own sign: "endres med −3 mill. kroner".
_NEUTRAL = r"endres|endret|endra|endrast|justeres|justert|justerast"
# "… med 66,8 mill.", "… med totalt 66,8 mill.", "… med til sammen 29 mill."
_WITH = r"\bmed(?:\s+(?:totalt|til\s+sammen|til\s+saman|samlet|samla|netto|i\s+alt))?\s*$"
CHANGE_VERB = re.compile(
    rf"(?:(?P<up>{_INCREASE})|(?P<down>{_DECREASE})|(?P<neutral>{_NEUTRAL}))\b(?:(?!\bmed\b).){{0,150}}{_WITH}",
    _I,
)
# "Posten tilføres 5 mill. kroner", "Det trekkes inn 2 mill. kroner fra posten".
CHANGE_DIRECT = re.compile(
    r"(?:(?P<up>\btilfør(?:es|t|ast))|(?P<down>\btrekkes\s+inn|\btrekkjast\s+inn|\btrekt\s+inn))"
    r"(?:(?!\b(?:til|fra|frå)\b).){0,40}$",
    _I,
)
# "Post 21 … foreslås satt ned 0,55 mill. kroner": the amount right after the verb.
CHANGE_SET = re.compile(
    r"(?:(?P<up>\b(?:satt|sett|settes|setjast)\s+opp)|(?P<down>\b(?:satt|sett|settes|setjast)\s+ned))\s*$", _I
)
CHANGE_NOUN = re.compile(
    r"(?:(?P<up>økning|auke|auking|styrking|tillegg)|(?P<down>reduksjon|nedgang|kutt|innsparing))"
    r"(?:\s+(?:på|med)\s*$"
    r"|\s+av\s+(?:løyvinga|bevilgningen)\s*\(\s*$"  # "ein auke av løyvinga (1,0 mill. kroner)"
    r"|\s+av\b(?:(?!\bmed\b).){0,120}\bmed\s*$)"  # "en økning av kapittel 1151 post 51 med 3,85 mill."
    r"|(?:(?P<up_need>økt|auka)|(?P<down_need>redusert))\s+(?:bevilgningsbehov|løyvingsbehov)\s+på\s*$",
    _I,
)
CHANGE_TOTAL_WORD = re.compile(r"\b(?:samlet|samla|totalt|til\s+sammen|til\s+saman|i\s+alt|tilsammen|tilsaman)\b", _I)
OF_WHICH = re.compile(r"\bhvorav\b|\bder\b\s+|\bkor\s+av\b|\bherav\b", _I)

CORRECTED_TOTAL = re.compile(r"\bkorriger(?:er|es|ast|t)\b.*\b(?:til|skal\s+(?:være|vere))\s*$", _I)
_FUNDS = r"(?:bevilgning|løyving|ramme|tildeling|budsjettramme)(?:en|a|ane|ene)?"
_IS = r"(?:er|blir|vert|utgjør|utgjer)"
_AFTER_THIS = r"(?:etter\s+(?:dette|endringen|endringa|endringane|endringene|endringar|endringer)|dermed|derfor|difor|no|nå|da)"
NEW_TOTAL_LEFT = re.compile(
    rf"(?:samlet|samla|samlede|total|totale)\s+{_FUNDS}\b.*\b{_IS}(?:\s+{_AFTER_THIS})?\s*$"
    rf"|\better\s+(?:dette|endringen|endringa|endringane|endringene)\b.*\b{_IS}\s*$"
    rf"|\b{_FUNDS}\b.*\b{_IS}\s+etter\s+(?:dette|endringen|endringa|endringane|endringene)\s*$"
    rf"|\bny\s+{_FUNDS}\b.*\b(?:er|blir|vert|på)\s*$"
    rf"|\b(?:samlet|samla|ny)\s+{_FUNDS}\b[^:]*:\s*$"
    rf"|(?:{_INCREASE}|{_DECREASE}|{_NEUTRAL})\b[^,]{{0,80}}\btil\s*$",
    _I,
)
# The second amount of "frå 40 mill. kroner til 48,2 mill. kroner", "økes med 2 mill. kroner til 50 mill. kroner".
TO_AFTER_AMOUNT = re.compile(
    r"^\s*,?\s*(?:(?:og\s+)?(?:opp\s+|ned\s+)?til(?:\s+(?:totalt|samlet|samla|sammen|saman|i\s+alt))?"
    r"|og\s+(?:blir|er|vert|utgjør|utgjer)(?:\s+(?:da|dermed|no|nå|etter\s+dette))?)\s*$",
    _I,
)
FROM_BEFORE = re.compile(r"\bfr[aå]\s*$", _I)
PREVIOUS_TOTAL = re.compile(
    r"\bfremgikk\b|\bframgikk\b|\bgjekk\s+(?:det\s+)?fram\b|\bopprinnelig\b|\bopphavleg\b|\butgjorde\b"
    r"|\bvar\s+satt\b|\bvar\s+sett\b|\b(?:tidligere|tidlegare)\s+oppgitt|\bvar\s+oppgitt",
    _I,
)
CORRECTION = re.compile(r"\binkurie\b|\bved\s+en\s+feil\b|\bved\s+ein\s+feil\b|\bfeilaktig\b", _I)
STATED_TOTAL = re.compile(r"\b(?:utgjør|utgjer)\s+(?:derfor\s+|dermed\s+|no\s+|nå\s+)?$", _I)
# "Statens del utgjer X", "andelen til kommunene utgjør X": someone's share of an amount, not the post's
# appropriation; which amount it is a share of, the words do not say.
SHARE_IS = re.compile(r"\b(?:del|delen|andel|andelen|part|parten)\b[^.;]{0,40}?\b(?:utgjør|utgjer)\s+$", _I)
INTRODUCES_LIST = re.compile(r"\bfølgende\b|\bfølgjande\b", _I)
# A list that shares out a post's money even where the lead-in states no total: "Følgende fordeling …:".
INTRODUCES_BREAKDOWN = re.compile(r"\bfordel(?:ing|ingen|inga|es|ast|t)\b", _I)
PARLIAMENT_RESERVATION = re.compile(r"forbehold\s+om\s+Stortingets|atterhald\s+om\s+Stortingets", _I)
EQUAL_SHARES = re.compile(
    r"\bforde(?:les|last|lt|les\s+likt|les\s+jevnt)?\s+(?:jevnt|likt|jamt)\s+(?:til|mellom|på)\s+(?P<names>.+)$", _I
)
PERCENT = re.compile(r"(?P<value>\d+(?:,\d+)?)")

FURNITURE = re.compile(
    r"^\s*(?:postadresse|postboks|kontoradresse|telefon\*?|org\.?\s*nr\.?|saksbehandler|deres\s+ref|vår\s+ref"
    r"|avdeling|side\s+\d+|med\s+(?:hilsen|helsing)|dokumentet\s+er\s+elektronisk|kopi\s*:|e-?post"
    r"|https?://|www\.|\S+@\S+\.\w+)",
    _I,
)

TOTAL_KINDS = (Kind.CORRECTED_TOTAL, Kind.STATED_TOTAL, Kind.NEW_TOTAL, Kind.TABLE_TOTAL)


@dataclass(frozen=True, slots=True)
class PostMention:
    start: int
    end: int
    post: Post
    reference: bool = False  # "jf. kap. 3020", "kan nyttes under post 70": names a post, states nothing about it


# "post 04" without its kapittel: the kapittel comes from the sentence or the heading above.
BARE_POST = re.compile(r"\bpost(?:ane|ene)?\s+0?(?P<post>\d{1,2})\b(?!\s*(?:mill|mrd|kr|kroner|prosent|pst|%|\d))", _I)
# A kapittel named alone ("Bevilgningen på kap. 601 dekker …"), which gives a post heading its kapittel.
LONE_KAP = re.compile(r"\bkap\.\s*0?(?P<kap>\d{1,4})\b|\bkapittel\s+0?(?P<long>\d{3,4})\b", _I)
# Words that make the mention after them a cross-reference: "jf. omtale under kap. 320, post 73",
# "viser til merknad under kap. 1427 post 21", "kan nyttast under kap. 412, post 1".
_REFERENCE_BEFORE = re.compile(
    r"(?:\bjfr?\.?|\bomtal(?:e|en|t)|\bmerknad(?:en|ar|er)?|\bnytt(?:es|ast)|\bbenytt(?:es|ast)|\bbruk(?:es|ast))"
    r"\s+(?:[\wæøåÆØÅ.-]+\s+){0,4}$",
    _I,
)


_LIST_JOIN = re.compile(r"^\s*(?:,|og|eller|samt)\s*$", _I)
# "5 mill. kroner bevilges på en 50-post … 2,2 mill. kroner beholdes på 1-posten".
HYPHEN_POST = re.compile(r"\b0?(?P<post>\d{1,2})-post(?:en|a)?\b", _I)


def post_mentions(text: str, kap: int | None = None, named: dict[int, Post] | None = None,
                  last_kap: int | None = None) -> list[PostMention]:
    """The posts a sentence names: "kap. 671, post 21", and with `kap` (the kapittel in context) also "post 04".

    A bare "post 75" takes the kapittel named before it in the sentence, else `kap` (the heading's),
    else the kapittel it was last named with in full (`named`), else the kapittel named last.
    """
    found = []
    for match in POST_REFERENCE.finditer(text):
        reference = bool(_REFERENCE_BEFORE.search(text[: match.start()]))
        # "sjå omtale under kap. 842, post 01 og kap. 854, post 61": the list goes on referring.
        if found and found[-1].reference and _LIST_JOIN.match(text[found[-1].end : match.start()]):
            reference = True
        found.append(PostMention(match.start(), match.end(), Post(int(match.group("kap")), int(match.group("post"))),
                                 reference=reference))
    covered = [(mention.start, mention.end) for mention in found]
    bare = sorted([*BARE_POST.finditer(text), *HYPHEN_POST.finditer(text)], key=lambda match: match.start())
    for match in bare:
        if any(start <= match.start() < end for start, end in covered):
            continue
        before = [mention for mention in found if mention.end <= match.start() and not mention.reference]
        number = int(match.group("post"))
        if before:
            owner = before[-1].post.kap
        elif kap is not None:
            owner = kap
        else:
            owner = named[number].kap if named and number in named else last_kap
        if owner is None:
            continue
        found.append(PostMention(match.start(), match.end(), Post(owner, int(match.group("post"))),
                                 reference=bool(_REFERENCE_BEFORE.search(text[: match.start()]))))
    return sorted(found, key=lambda mention: mention.start)


def lone_kap(text: str) -> int | None:
    """The kapittel a sentence names without a post, if it names exactly one and no post."""
    if POST_REFERENCE.search(text) or BARE_POST.search(text):
        return None
    kaps = {int(match.group("kap") or match.group("long")) for match in LONE_KAP.finditer(text)
            if not _REFERENCE_BEFORE.search(text[: match.start()])}
    return kaps.pop() if len(kaps) == 1 else None


@dataclass(frozen=True, slots=True)
class Reading:
    """What the words around an amount make of it."""

    kind: Kind | None
    sign: int = 1
    is_total_change: bool = False
    reason: str = ""


def read_amount(sentence: str, start: int, end: int, *, previous_end: int, in_assignment: bool,
                carry_over: bool, in_list: bool, of_which: bool, previous_kind: Kind | None = None,
                reserved: bool = False, budget_text: bool = False, previous_sign: int = 1) -> Reading:
    """Classify the amount at sentence[start:end].

    `previous_end` is where the previous amount in the sentence ended, so that each amount is read
    with its own clause ("økes med 9 mill. kroner, hvorav 5,2 mill. kroner …"); `previous_kind` is
    how that amount was read ("frå 40 mill. kroner til 48,2 mill. kroner"). `reserved` says the
    paragraph makes its amounts subject to parliament's decision ("Det tas forbehold om
    Stortingets budsjettvedtak"). In a `budget_text` (a proposition, an Innst. S, a vedtak) nearly every
    sentence proposes or decides: there the wording says what the amount is, and the status is kept
    apart (`sentence_status`).
    """
    before_all = sentence[:start]
    before = sentence[previous_end:start]
    after = sentence[end : end + 80]

    if THRESHOLD_BEFORE.search(before):
        return Reading(None, reason="threshold")
    if RATE_AFTER.search(after):
        return Reading(Kind.RATE)
    if not budget_text and (SUBJECT_TO_PARLIAMENT.search(sentence) or reserved):
        return Reading(Kind.PROPOSAL)
    if in_assignment:
        if ENACTED.search(before_all):
            return Reading(Kind.ENACTED)
        if EARMARK.search(sentence):
            return Reading(Kind.EARMARK)
    if of_which:
        return Reading(Kind.CHANGE_PART)
    if CORRECTED_TOTAL.search(before_all):
        return Reading(Kind.CORRECTED_TOTAL)
    if FROM_BEFORE.search(before):
        return Reading(Kind.PREVIOUS_TOTAL)
    if previous_kind in (Kind.PREVIOUS_TOTAL, Kind.CHANGE) and TO_AFTER_AMOUNT.match(before):
        return Reading(Kind.NEW_TOTAL)
    if NEW_TOTAL_LEFT.search(before if previous_end else before_all):
        return Reading(Kind.NEW_TOTAL)
    change = (CHANGE_VERB.search(before) or CHANGE_NOUN.search(before) or CHANGE_DIRECT.search(before)
              or CHANGE_SET.search(before))
    if change:
        sign = -1 if change.group("down") or (change.re is CHANGE_NOUN and change.group("down_need")) else 1
        total = bool(CHANGE_TOTAL_WORD.search(before_all[: change.end()] if previous_end == 0 else before))
        return Reading(Kind.CHANGE, sign=sign, is_total_change=total)
    if budget_text:
        reading = _budget_reading(before, after)
        if reading is not None:
            return reading
        # "… innsparing på 0,920 mill. kroner frå kap. 841, post 22, 0,650 mill. kroner frå kap. 854, post 71
        # og 0,430 mill. kroner frå …": a list of changes, each clause naming its post.
        if previous_kind == Kind.CHANGE and BARE_POST.search(before) and _LIST_GLUE.search(before):
            return Reading(Kind.CHANGE, sign=previous_sign)
    if carry_over or (CARRIED_OVER_VERB.search(before) and FROM_LAST_YEAR.search(sentence)):
        return Reading(Kind.CARRIED_OVER)
    if CORRECTION.search(before_all):
        return Reading(Kind.CORRECTION, sign=-1)
    if PREVIOUS_TOTAL.search(before_all):
        return Reading(Kind.PREVIOUS_TOTAL)
    if SHARE_IS.search(before):
        return Reading(None, reason="unclassified")
    if STATED_TOTAL.search(before):
        return Reading(Kind.STATED_TOTAL)
    if in_list:
        return Reading(Kind.BREAKDOWN_PART)
    if EARMARK.search(sentence):
        return Reading(Kind.EARMARK)
    if in_assignment:
        return Reading(Kind.EARMARK)
    return Reading(None, reason="unclassified")


# Budget texts state a post's appropriation as "Bevilgningen (på posten) (i 2010) er på X", "ei løyving
# til … på X", "Det er bevilget X", and a further appropriation as "å bevilge X (på post 23)".
_FUNDS_WORD = r"(?:bevilgning|løyving|ramme|budsjett)(?:en|a|ane|ene|s)?"
STATED_APPROPRIATION = re.compile(
    rf"\b{_FUNDS_WORD}\b[^.;]{{0,80}}\b(?:er|var|blir|vert|ble|vart)\s+(?:\w+\s+){{0,2}}?på\s*$"
    rf"|\b{_FUNDS_WORD}\s+(?:til\s+[^.;]{{0,60}}?\s+)?på\s*$"
    r"|\b(?:er|blir|vert|ble|vart)\s+(?:det\s+)?(?:\w+\s+){0,2}?(?:bevilget|bevilga|løyvd|løyvt)\s*$"
    r"|\b(?:bevilges|løyvast|løyves|løyvd|bevilget)\s+med\s*$",
    _I,
)
FURTHER_APPROPRIATION = re.compile(
    r"\b(?:å\s+(?:bevilge|løyve|tilleggsbevilge)|(?:at\s+)?det\s+(?:bevilges|løyvast|løyves|tilleggsbevilges))"
    r"(?:\s+(?:om\s+lag|omkring|rundt|ca\.|cirka))?\s*$", _I
)
_LIST_GLUE = re.compile(r"(?:,|\bog|\bmed)\s*$", _I)
# Money moved between posts: "flytte 5 mill. kroner … fra kap. 118, post 21 til kap. 100, post 01",
# "0,1 mill. kroner foreslås overført til kap. 510, post 01", "Omdisponeringen på 2,55 mill. kroner fra …".
TRANSFER = re.compile(
    r"\b(?:flytt(?:e|es|ast|ing(?:en|a)?)|(?:ramme)?overfør(?:e|es|ast|t|ing(?:en|a)?)|omdisponer(?:e|es|ast|t|ing(?:en|a)?)"
    r"|omgrupper(?:e|es|ast|t|ing(?:en|a)?))\b", _I
)
FROM_WORD = re.compile(r"\bfr[aå]\b", _I)
TO_WORD = re.compile(r"\btil\b", _I)
# A decision already taken: "Ved vedtak i Stortinget 20. juni 2025 blei post 21 redusert …".
DECIDED = re.compile(
    r"\bved\s+vedtak\s+i\s+Stortinget\b|\bStortinget\s+(?:har\s+)?(?:vedtok|vedtatt|vedteke|vedtekne)\b"
    r"|\bved\s+Stortingets\s+(?:budsjett)?vedtak\b",
    _I,
)
PROPOSED_WORDS = re.compile(
    SUBJECT_TO_PARLIAMENT.pattern + r"|\bforesl[åa]s\b|\bføreslås\b|\bforslag(?:et)?\s+(?:om|til)\b|\bframlegg\b",
    _I,
)


# A share of the post's money given to one recipient or purpose: "HL-senteret får et tilskudd på X",
# "Svalbardrådet får bevilget X", "Av bevilgningen går X til …", "X går til landsdekkende tiltak".
SHARE_BEFORE = re.compile(
    r"\bfår\s+(?:et\s+tilskudd\s+på|eit\s+tilskot\s+på|tilskudd\s+på|tilskot\s+på|bevilget|bevilga|løyvd|tildelt)"
    r"(?:\s+(?:om\s+lag|inntil))?\s*$"
    rf"|^\s*av\s+{_FUNDS_WORD}\s+(?:på\s+posten\s+)?(?:går|gjekk|gikk|skal\s+gå|brukes|nyttast|nyttes)(?:\s+om\s+lag)?\s*$",
    _I,
)
SHARE_AFTER = re.compile(r"^\s*(?:går|gjekk|gikk|skal\s+gå)\s+til\b", _I)
# "… hvor 5 mill. kroner bevilges på en 50-post …, mens 2,2 mill. kroner beholdes på 1-posten".
GRANTED_AFTER = re.compile(r"^\s*(?:bevilges|løyvast|løyvest|løyves)\s+(?:på|over|under)\b", _I)
KEPT_AFTER = re.compile(r"^\s*(?:beholdes|beheldast|blir\s+igjen|står\s+igjen)\s+(?:på|over|under)\b", _I)
# "Bevilgningen på posten er 51,9 mill. kroner": the post's appropriation without "på".
STATED_IS = re.compile(rf"^\s*{_FUNDS_WORD}\s+(?:på\s+posten\s+|for\s+\d{{4}}\s+)?(?:er|var|utgjør|utgjer)\s*$", _I)


# "I statsbudsjettet for 2022 er det innarbeidet 4 mill. kroner til …": money set aside inside a post.
INCORPORATED_BEFORE = re.compile(r"\b(?:er|var|blitt|vart|blei|ble)\s+(?:det\s+)?innarbeid(?:et|d|a)\s*$", _I)


def _budget_reading(before: str, after: str = "") -> Reading | None:
    if INCORPORATED_BEFORE.search(before):
        return Reading(Kind.EARMARK)
    if OF_WHICH.search(before):
        return Reading(Kind.BREAKDOWN_PART)
    if SHARE_BEFORE.search(before) or SHARE_AFTER.match(after):
        return Reading(Kind.EARMARK)  # a share of the post's own money, not of another amount in the sentence
    if STATED_IS.match(before) or GRANTED_AFTER.match(after):
        return Reading(Kind.STATED_TOTAL)
    if KEPT_AFTER.match(after):
        return Reading(Kind.NEW_TOTAL)
    if STATED_APPROPRIATION.search(before):
        return Reading(Kind.STATED_TOTAL)
    if FURTHER_APPROPRIATION.search(before):
        return Reading(Kind.CHANGE)
    return None


def proposes(sentence: str) -> bool:
    """The sentence proposes rather than decides or allocates ("foreslås", "gjer framlegg om", "forslag om")."""
    return bool(PROPOSED_WORDS.search(sentence))


def share_names(names_text: str) -> list[str]:
    """'Norsk folkehjelp, Norges Røde Kors, Caritas, Redd Barna og Frivillighet Norge og benyttes …'."""
    text = names_text.strip().rstrip(".")
    parts = re.split(r",\s*|\s+og\s+", text)
    names = []
    for part in parts:
        part = part.strip()
        if not part or not part[0].isupper():
            break
        names.append(part)
    return names


def table_unit(text: str) -> Decimal | None:
    match = TABLE_UNIT.search(text)
    return _multiplier(match) if match else None


def _multiplier(match: re.Match) -> Decimal:
    return Decimal(1000) if match.group("thousand") else Decimal(1_000_000)


# A table header may name the unit as its last column's heading, with no "i" or parentheses:
# "Kap./post Postnavn Mill. kroner", "… 1000 kr", "… NOK 1 000", "… MNOK".
_HEADER_UNIT = re.compile(
    rf"(?:^|\s)(?:(?P<thousand>{_THOUSAND}\s*{_KRONER}|{_KRONER}\s*{_THOUSAND})|(?P<million>{_MILLION}\s*{_KRONER}|mnok))\s*$",
    _I,
)


def header_unit(text: str) -> Decimal | None:
    """The unit a table's header line states, in words or as its last column's heading."""
    unit = table_unit(text)
    if unit is not None:
        return unit
    match = _HEADER_UNIT.search(text.rstrip(" :"))
    return _multiplier(match) if match else None


def without_units(text: str) -> str:
    """The text with its unit phrases blanked out, so that "(i 1 000 kr)" is not read as an amount."""
    return TABLE_UNIT.sub(lambda match: " " * len(match.group(0)), text)


def without_header_units(text: str) -> str:
    """A table header line with its unit blanked out, the last column's "1000 kr" included."""
    text = without_units(text)
    match = _HEADER_UNIT.search(text.rstrip(" :"))
    return text if match is None else text[: match.start()] + " " * (len(text) - match.start())
