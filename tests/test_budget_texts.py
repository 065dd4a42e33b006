"""Budget texts that are not letters: propositions, Innst. S and Stortingets vedtak, as published.

Written in the styles of the real texts in tests/data/letters-real/ (the figures here are made up):
heading context, decision tables in their three layouts (one row a line, cells glued by HTML
conversion, one cell a line), cross-references, and each statement's status.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal as D
from pathlib import Path

from reconcile.ledger.build import build_ledger
from reconcile.letters.extract import extract_letters
from reconcile.letters.reading import read_document
from reconcile.letters.statements import Kind, LetterSet, Status


def read(tmp_path: Path, body: str) -> LetterSet:
    path = tmp_path / "tekst.txt"
    path.write_text(textwrap.dedent(body).strip("\n") + "\n", encoding="utf-8")
    return extract_letters(read_document(path))


def rows(letter_set: LetterSet) -> list[tuple]:
    return [(str(s.post), s.kind, s.amount.value, s.status) for s in letter_set.statements]


def test_heading_context_gives_the_amount_its_post_not_the_last_post_named_before(tmp_path):
    found = read(tmp_path, """
        Prop. 9 S (2031–2032)

        2 Forslag under det enkelte departement

        Kap. 105 Reisekontoret

        Post 01 Driftsutgifter

        Det foreslås å overføre 2 mill. kroner til kap. 512, post 01. Bevilgningen foreslås økt med 24,4 mill.
        kroner til nye lokaler.

        Kap. 3105 Reisekontoret

        Post 02 Gebyrer

        Det blir foreslått å auke løyvinga med 4,5 mill. kroner, mot ein tilsvarande auke av løyvinga på kap.
        105, post 01.
    """)
    assert rows(found) == [
        ("105/01", Kind.CHANGE, D(-2000000), Status.PROPOSED),  # moved to kap. 512: out of the heading's post
        ("512/01", Kind.CHANGE, D(2000000), Status.PROPOSED),
        ("105/01", Kind.CHANGE, D(24400000), Status.PROPOSED),
        ("3105/02", Kind.CHANGE, D(4500000), Status.PROPOSED),
    ]


def test_a_post_heading_without_its_kapittel_waits_for_the_section_to_name_it(tmp_path):
    found = read(tmp_path, """
        12.3.1 Post 21 Spesielle driftsutgifter

        12.3.1.1 Sammendrag

        Bevilgningen på posten i saldert budsjett er på 31,2 mill. kroner. Bevilgningen på kap. 734 dekker
        utredninger over post 21, mens tilskudd føres over post 70.

        Det foreslås at bevilgningen på kap. 734 post 21 reduseres med 1,5 mill. kroner mot tilsvarende økning
        på kap. 734 post 70.

        12.3.1.2 Komiteens merknader

        Komiteen slutter seg til regjeringens forslag.
    """)
    assert rows(found) == [
        ("734/21", Kind.STATED_TOTAL, D(31200000), Status.PROPOSED),  # the Innst.'s summary of the proposition
        ("734/21", Kind.CHANGE, D(-1500000), Status.PROPOSED),
    ]


def test_post_lines_under_a_kapittel_heading_and_bare_post_numbers_take_its_kapittel(tmp_path):
    found = read(tmp_path, """
        Innstilling fra komiteen om endringer i statsbudsjettet

        Kap. 845 Tilsynet for x mv.

        Post 1 Driftsutgifter foreslås satt opp med 1,2 mill. kroner.

        Post 70 Tilskudd foreslås satt ned 0,45 mill. kroner.

        Kap. 3845 Tilsynet for x post 01 Gebyrer blir foreslått redusert med 6 mill. kroner, og post 04 Refusjoner
        blir foreslått øket med 2 mill. kroner.
    """)
    assert rows(found) == [
        ("845/01", Kind.CHANGE, D(1200000), Status.PROPOSED),
        ("845/70", Kind.CHANGE, D(-450000), Status.PROPOSED),
        ("3845/01", Kind.CHANGE, D(-6000000), Status.PROPOSED),
        ("3845/04", Kind.CHANGE, D(2000000), Status.PROPOSED),
    ]


def test_cross_references_are_never_the_post_of_an_amount(tmp_path):
    found = read(tmp_path, """
        Innstilling fra komiteen

        Post 21 Kartlegging

        Sammendrag

        Det foreslås at kap. 1630 post 21 økes med 400 000 kroner.

        Komiteens medlem fra X viser til merknad under kap. 1677 post 21. Dette medlem foreslår at bevilgningen
        økes med 3 mill. kroner, jf. omtale under kap. 1699, post 45.
    """)
    assert [(p, k, a) for p, k, a, _ in rows(found)] == [
        ("1630/21", Kind.CHANGE, D(400000)),
        ("1630/21", Kind.CHANGE, D(3000000)),
    ]


def test_a_glued_decision_table_reads_kapittel_lines_post_lines_and_earlier_proposals(tmp_path):
    found = read(tmp_path, """
        St.prp. nr. 1 Tillegg nr. 2 (2031–2032)

        Forslag til vedtak

        I statsbudsjettet 2032 blir bevilget under følgende kapitler:

        Utgifter:

        Kap.PostFormålKroner
        30Statsministerens kontor (jf. kap. 3030):
        1Driftsutgifter71 985 000
        mot tidligere foreslått kr 69 100 000
        47Stortinget (jf. kap. 3047):
        1Driftsutgifter, kan nyttes under post 70718 776 000
        mot tidligere foreslått kr 693 700 000
        45Større utstyrsanskaffelser, kan overføres0
        mot tidligere foreslått kr 1 600 000
    """)
    assert rows(found) == [
        ("30/01", Kind.TABLE_TOTAL, D(71985000), Status.PROPOSED),
        ("30/01", Kind.PREVIOUS_TOTAL, D(69100000), Status.PROPOSED),
        ("47/01", Kind.TABLE_TOTAL, D(718776000), Status.PROPOSED),
        ("47/01", Kind.PREVIOUS_TOTAL, D(693700000), Status.PROPOSED),
        ("47/45", Kind.TABLE_TOTAL, D(0), Status.PROPOSED),
        ("47/45", Kind.PREVIOUS_TOTAL, D(1600000), Status.PROPOSED),
    ]


def test_an_amount_glued_to_other_digits_is_reported_not_guessed(tmp_path):
    found = read(tmp_path, """
        Kap.PostFormålKroner
        118Finansieringsordningene:
        77Finansieringsordningen 2014-20212 679 600 000
        78Den norske ordningen12 000 000
    """)
    assert [(str(s.post), s.amount.value) for s in found.statements] == [("118/78", D(12000000))]
    assert any(issue.line == 3 and "limt sammen" in issue.message for issue in found.issues)


def test_a_vedtak_table_one_cell_a_line_with_changes_from_and_to(tmp_path):
    found = read(tmp_path, """
        Endringer i statsbudsjettet for 2032

        Vedtak 812

        I statsbudsjettet for 2032 gjøres følgende endring:

        Kap.

        Post

        Formål

        Kroner

        Utgifter:

        720

        Folkehelseinstituttet

        21

        Spesielle driftsutgifter forhøyes med

        fra kr 122 763 000 til 180 763 000

        58 000 000

        1152

        Reindriftsavtalen:

        51

        Tilskudd til utviklingsfondet, reduseres med

        4 400 000

        fra kr 45 300 000 til kr 40 900 000

        82 (Ny)

        Kostnader ved radioaktivitet, bevilges med

        5 000 000

        Vedtak 813

        Bestillingsfullmakt

        Kap.

        Post

        Betegnelse

        Samlet ramme

        720

        Folkehelseinstituttet

        21

        Spesielle driftsutgifter

        160 mill.kroner
    """)
    assert rows(found) == [
        ("720/21", Kind.PREVIOUS_TOTAL, D(122763000), Status.ENACTED),
        ("720/21", Kind.NEW_TOTAL, D(180763000), Status.ENACTED),
        ("720/21", Kind.CHANGE, D(58000000), Status.ENACTED),
        ("1152/51", Kind.CHANGE, D(-4400000), Status.ENACTED),
        ("1152/51", Kind.PREVIOUS_TOTAL, D(45300000), Status.ENACTED),
        ("1152/51", Kind.NEW_TOTAL, D(40900000), Status.ENACTED),
        ("1152/82", Kind.TABLE_TOTAL, D(5000000), Status.ENACTED),
    ]


def test_a_table_takes_its_status_from_the_lines_that_lead_into_it(tmp_path):
    found = read(tmp_path, """
        Innstilling fra komiteen om statsbudsjettet

        Komiteen rår Stortinget til å gjøre følgende

        vedtak:

        Kap. Post Formål: Kroner
        61   Høyesterett:
          1 Driftsutgifter 94 997 000

        Dette medlem fremmer følgende forslag:

        Kap. Post Formål: Kroner
        61   Høyesterett:
          1 Driftsutgifter, forhøyes med 3 000 000
            fra kr 94 997 000 til kr 97 997 000
    """)
    assert rows(found) == [
        ("61/01", Kind.TABLE_TOTAL, D(94997000), Status.RECOMMENDED),
        ("61/01", Kind.CHANGE, D(3000000), Status.PROPOSED),
        ("61/01", Kind.PREVIOUS_TOTAL, D(94997000), Status.PROPOSED),
        ("61/01", Kind.NEW_TOTAL, D(97997000), Status.PROPOSED),
    ]


def test_the_ledger_books_what_was_enacted_and_proposals_only_when_asked(tmp_path):
    found = read(tmp_path, """
        Vedtak 77

        Kap. Post Formål: Kroner
        20   Statsministerens kontor:
          1 Driftsutgifter 61 000 000

        Dette medlem fremmer følgende forslag:

        Kap. Post Formål: Kroner
        21   Statsrådet:
          1 Driftsutgifter 9 000 000
    """)
    assert [(str(s.post), s.status) for s in found.statements] == [("20/01", Status.ENACTED), ("21/01", Status.PROPOSED)]
    assert [str(post) for post in build_ledger(found).posts] == ["20/01"]
    widened = build_ledger(found, statuses=(Status.ENACTED, Status.ALLOCATED, Status.PROPOSED))
    assert [str(post) for post in widened.posts] == ["20/01", "21/01"]


def test_a_letter_keeps_its_proposals_as_proposals(tmp_path):
    found = read(tmp_path, """
        Tillegg nr. 2 til tildelingsbrev for Etaten 2032

        Bevilgningen på kap. 714, post 70 økes med 4 mill. kroner. Det tas forbehold om Stortingets budsjettvedtak.

        Bevilgningen på kap. 714, post 21 økes med 1 mill. kroner.
    """)
    assert rows(found) == [
        ("714/70", Kind.PROPOSAL, D(4000000), Status.PROPOSED),
        ("714/21", Kind.CHANGE, D(1000000), Status.ALLOCATED),
    ]


def test_figure_rows_under_a_post_read_the_year_glued_to_the_figure(tmp_path):
    found = read(tmp_path, """
        St.prp. nr. 44 (2031–2032)

        Kap. 812 Familietiltak

        Post 01 Driftsutgifter

        Departementet foreslår å redusere løyvinga under kap. 812 post 01 med 2 mill. kroner.

          (i 1000 kr)
        Rekneskap 203084 651
        Løyving 203197 953
        Forslag til tilleggsløyving-2 000
    """)
    assert rows(found) == [
        ("812/01", Kind.CHANGE, D(-2000000), Status.PROPOSED),
        ("812/01", Kind.TABLE_TOTAL, D(97953000), Status.PROPOSED),
        ("812/01", Kind.CHANGE, D(-2000000), Status.PROPOSED),
    ]


def test_a_table_with_two_named_value_columns_and_kapittel_sums(tmp_path):
    found = read(tmp_path, """
        Budsjett-innst. S. nr. 9 (2031–2032)

        Kap.

        Post

        Formål:

        St.prp. nr. 1

        St.prp. nr. 1 med Tillegg nr. 1-4

        Utgifter i hele kroner

        930

        Designrådet (jf. kap. 3930)

        52 900 000

        53 400 000

        1

        Driftsutgifter

        42 900 000

        43 400 000

        70

        Tilskudd

        10 000 000

        10 000 000
    """)
    assert rows(found) == [
        ("930/01", Kind.PREVIOUS_TOTAL, D(42900000), Status.RECOMMENDED),
        ("930/01", Kind.TABLE_TOTAL, D(43400000), Status.RECOMMENDED),
        ("930/70", Kind.PREVIOUS_TOTAL, D(10000000), Status.RECOMMENDED),
        ("930/70", Kind.TABLE_TOTAL, D(10000000), Status.RECOMMENDED),
    ]


def test_a_post_heading_is_not_settled_by_a_transfer_to_another_kapittels_post_of_that_number(tmp_path):
    found = read(tmp_path, """
        21.4.1 Post 1 Driftsutgifter

        21.4.1.1 Sammendrag

        Bevilgningen foreslås redusert med 16,7 mill. kroner. Av reduksjonen foreslås 13,4 mill. kroner omdisponert
        til kap. 1745 post 1.
    """)
    assert not [s for s in found.statements if s.amount.value == D(-16700000)]
    assert any(issue.line == 5 for issue in found.issues)


def test_a_list_of_changes_gives_each_its_post(tmp_path):
    found = read(tmp_path, """
        St.prp. nr. 3 (2031–2032)

        Departementet gjer framlegg om å auke kap. 810, post 21 med 2 mill. kroner mot ei innsparing på 0,9 mill.
        kroner frå kap. 841, post 22, 0,65 mill. kroner frå kap. 854, post 71 og 0,45 mill. kroner frå kap. 857,
        post 73.
    """)
    assert [(p, k, a) for p, k, a, _ in rows(found)] == [
        ("810/21", Kind.CHANGE, D(2000000)),
        ("841/22", Kind.CHANGE, D(-900000)),
        ("854/71", Kind.CHANGE, D(-650000)),
        ("857/73", Kind.CHANGE, D(-450000)),
    ]


def test_a_pipe_table_flattened_from_html_reads_its_named_columns_and_skips_the_accounts(tmp_path):
    found = read(tmp_path, """
        Prop. 1 S (2031–2032)

        Kap. 1850 Klimadepartementet
        |
        (i 1 000 kr) |
        ||||
        |---|---|---|---|---|
        |
        Post |
        Nemning |
        Rekneskap 2030 |
        Saldert budsjett 2031 |
        Forslag 2032 |
        |
        01 |
        Driftsutgifter |
        238 476 |
        261 041 |
        270 264 |
        |
        60 |
        Tilskot til kommunar |
        3 000 |
        ||
        |
        Sum kap. 1850 |
        241 476 |
        261 041 |
        270 264 |
        Post 01 Driftsutgifter
        Departementet foreslår å løyve om lag 270 millionar kroner til drifta.
    """)
    assert rows(found) == [
        ("1850/01", Kind.PREVIOUS_TOTAL, D(261041000), Status.ENACTED),
        ("1850/01", Kind.TABLE_TOTAL, D(270264000), Status.PROPOSED),
        ("1850/01", Kind.CHANGE, D(270000000), Status.PROPOSED),
    ]


def test_money_moved_between_posts_is_a_decrease_of_the_one_and_an_increase_of_the_other(tmp_path):
    found = read(tmp_path, """
        Prop. 12 S (2031–2032)

        Kap. 100 Utenriksdepartementet

        Post 01 Driftsutgifter

        Det foreslås å flytte 5 mill. kroner til et nytt saksbehandlingssystem fra kap. 118 Satsinger, post 21
        Spesielle driftsutgifter til kap. 100, post 01 Driftsutgifter.

        0,1 mill. kroner foreslås overført til kap. 510 Sikkerhetsorganisasjonen, post 01 Driftsutgifter.

        Norge skal betale 110 mill. USD til banken over fem år, hvorav 22 mill. USD i 2032.
    """)
    assert [(p, k, a) for p, k, a, _ in rows(found)] == [
        ("118/21", Kind.CHANGE, D(-5000000)),
        ("100/01", Kind.CHANGE, D(5000000)),
        ("100/01", Kind.CHANGE, D(-100000)),
        ("510/01", Kind.CHANGE, D(100000)),
    ]


def test_a_bare_post_takes_the_kapittel_it_was_last_named_with(tmp_path):
    found = read(tmp_path, """
        Prop. 92 S (2031–2032)

        7 Endringer i statsbudsjettet

        Det foreslås nå en økning av kapittel 1151 post 51 med 3,85 mill. kroner mot en reduksjon av hhv.
        kapittel 1142 post 71 med 2,55 mill. kroner og kapittel 1151 post 75 med 1,3 mill. kroner.

        Omdisponeringen på 2,55 mill. kroner fra kapittel 1142 post 71 gjelder beiter. Omdisponeringen på
        1,3 mill. kroner fra post 75 skal finansiere et klassifiseringssystem.
    """)
    assert [(p, a) for p, _, a, _ in rows(found)] == [
        ("1151/51", D(3850000)), ("1142/71", D(-2550000)), ("1151/75", D(-1300000)),
        ("1142/71", D(-2550000)), ("1151/75", D(-1300000)),
    ]


def test_a_row_table_with_named_columns_and_a_row_that_cannot_be_aligned(tmp_path):
    found = read(tmp_path, """
        St.prp. nr. 70 (2031–2032)

        Kap. 1150 Post Overført beløp mill. kr Forhåndsdisponert mill. kr Disponibelt overført beløp mill. kr
        70 21,800 8,000 1) 13,800
        78 78,800 78,800
        Kap 1150 100,600 8,000 92,600

        1) Avsatt post 70.11: Destruksjonsanlegg 0,75 mill. kr, markslagskart 5,9 mill. kroner
    """)
    assert [(p, k, a) for p, k, a, _ in rows(found)] == [
        ("1150/70", Kind.CARRIED_OVER, D(21800000)),
        ("1150/70", Kind.BREAKDOWN_PART, D(8000000)),
        ("1150/70", Kind.BREAKDOWN_PART, D(13800000)),
        ("1150/70", Kind.EARMARK, D(750000)),
        ("1150/70", Kind.EARMARK, D(5900000)),
    ]
    assert any(issue.line == 5 and "post 78" in issue.message for issue in found.issues)


def test_a_numbered_heading_names_its_post_past_a_parenthesis_and_a_post_line_carries_its_wording(tmp_path):
    found = read(tmp_path, """
        Innstilling fra komiteen

        3. Kap. 1310 Flytransport (jf. Kap. 4310), post 70 tilskot til flyruter

        3.1 Samandrag

        Av innsparingar blir 1,7 mill. kroner foreslått omdisponert til kap. 1311 post 60 Tilskot til flyplassar.

        4. Framlegg frå mindretal

        Kap. 240 Private skular
          70  Tilskott, omlagløyving,
                vert redusert med
                kr 10.500.000
                og løyvd med kr 623.023.000
    """)
    assert [(p, a) for p, _, a, _ in rows(found)] == [
        ("1310/70", D(-1700000)), ("1311/60", D(1700000)),
        ("240/70", D(-10500000)), ("240/70", D(623023000)),
    ]


def test_shares_of_a_saving_are_parts_of_the_posts_change_or_moved_to_another_post(tmp_path):
    found = read(tmp_path, """
        Innstilling fra komiteen

        Kap. 1320 Flytransport

        Post 70 Tilskot til flyruter

        Det blir ei innsparing på 7,4 mill. kroner på kap. 1320 post 70. Av innsparingar blir 1,7 mill. kroner
        foreslått omdisponert til kap. 1321 post 60 og 5,7 mill. kroner nytta til den generelle innsparinga.
    """)
    assert [(p, k, a) for p, k, a, _ in rows(found)] == [
        ("1320/70", Kind.CHANGE, D(-7400000)),
        ("1320/70", Kind.CHANGE, D(-1700000)),
        ("1321/60", Kind.CHANGE, D(1700000)),
        ("1320/70", Kind.BREAKDOWN_PART, D(-5700000)),
    ]


def test_a_decision_already_taken_is_enacted_and_the_committees_own_words_are_recommended(tmp_path):
    found = read(tmp_path, """
        Innstilling fra komiteen

        Kap. 1800 Energidepartementet

        Ved vedtak i Stortinget 20. juni 2031 blei post 21 redusert med 2 millionar kroner.

        Komiteens merknader

        Komiteen vil auke løyvinga under kap. 1800 post 70 med 4 millionar kroner.
    """)
    assert rows(found) == [
        ("1800/21", Kind.CHANGE, D(-2000000), Status.ENACTED),
        ("1800/70", Kind.CHANGE, D(4000000), Status.RECOMMENDED),
    ]


def test_a_reduced_need_on_a_post_is_its_decrease_and_a_members_proposal_is_proposed(tmp_path):
    found = read(tmp_path, """
        Innstilling fra komiteen

        6.5 Kap. 222 Statlige skoler

        Post 1 Driftsutgifter

        Komiteens medlem fra Venstre viser til forslaget over kap. 228 post 71, noe som vil medføre et redusert
        bevilgningsbehov på 400 000 kroner på kap. 222 post 1.

        Dette medlem fremmer på denne bakgrunn følgende forslag:

        Kap. Post Formål: Kroner
        222  Statlige skoler:
          1 Driftsutgifter, nedsettes med 400 000
    """)
    assert rows(found) == [
        ("222/01", Kind.CHANGE, D(-400000), Status.RECOMMENDED),
        ("222/01", Kind.CHANGE, D(-400000), Status.PROPOSED),
    ]


def test_amounts_for_several_posts_or_shares_of_no_posts_amount_are_reported_not_given_a_post(tmp_path):
    found = read(tmp_path, """
        Prop. 7 S (2031–2032)

        Kap. 117 EØS-finansieringsordningene

        Post 76 EØS-finansieringsordningen, kan overføres

        Det foreslås å øke bevilgningene til EØS-finansieringsordningene med samlet 414,1 mill. kroner.

        Kap. 854 Tiltak i barnevernet

        Post 61 Utviklingsarbeid

        Den samla løyvinga til senteret er 10 mill. kroner fordelt på ulike postar, sjå omtale under kap. 842,
        post 01 og kap. 854, post 61. Det foreslås bevilget til sammen 6,9 mill. kroner til datalagring, hvorav
        0,27 mill. kroner under Fornyingsdepartementet.
    """)
    assert found.statements == ()
    noted = {issue.line for issue in found.issues if "ikke brukt" in issue.message}
    assert {7, 13, 15} <= noted


def test_a_table_one_cell_a_line_with_kapittel_and_post_columns_gives_each_column_its_kind(tmp_path):
    found = read(tmp_path, """
        Prop. 1 S (2031–2032)

        3 Diverse tabellar

        (i 1 000 kr)

        Kap.

        Post

        Nemning

        Overført til 2031

        Forslag 2032

        1402

        50

        Forsking

        6 211

        143 900

        1405

        72

        Tilskot til ferjer

        0

        88 000

        Fleire av postane kan overførast fordi tilskot blir utbetalt etter framdrift.
    """)
    assert rows(found) == [
        ("1402/50", Kind.CARRIED_OVER, D(6211000), Status.ENACTED),
        ("1402/50", Kind.TABLE_TOTAL, D(143900000), Status.PROPOSED),
        ("1405/72", Kind.CARRIED_OVER, D(0), Status.ENACTED),
        ("1405/72", Kind.TABLE_TOTAL, D(88000000), Status.PROPOSED),
    ]


def test_a_post_table_one_cell_a_line_takes_its_kapittel_from_the_sum_line_under_it(tmp_path):
    found = read(tmp_path, """
        Prop. 1 S

        Svalbardbudsjettet

        (i 1 000 kr)

        Post

        Nemning

        Rekneskap 2030

        Saldert budsjett 2031

        Forslag 2032

        01

        Driftsutgifter

        5 101

        5 420

        5 990

        Sum kap. 0007

        5 101

        5 420

        5 990
    """)
    assert rows(found) == [
        ("7/01", Kind.PREVIOUS_TOTAL, D(5420000), Status.ENACTED),  # the accounts column is not read
        ("7/01", Kind.TABLE_TOTAL, D(5990000), Status.PROPOSED),
    ]


def test_a_breakdown_one_cell_a_line_is_the_captions_post_and_a_short_row_is_reported(tmp_path):
    found = read(tmp_path, """
        Prop. 1 S (2031–2032)

        2 Oversikt over tiltak på kap. 340, post 71 Organisasjoner

        (i 1 000 kr)

        Tiltak

        Tilskudd 2031

        Forslag 2032

        Noregs Sjakklag

        410

        450

        Bokbussforeningen

        1 200

        Lesesirkelen

        75

        90

        Sum

        1 685

        540
    """)
    assert rows(found) == [
        ("340/71", Kind.BREAKDOWN_PART, D(410000), Status.ENACTED),
        ("340/71", Kind.BREAKDOWN_PART, D(450000), Status.PROPOSED),
        ("340/71", Kind.BREAKDOWN_PART, D(75000), Status.ENACTED),
        ("340/71", Kind.BREAKDOWN_PART, D(90000), Status.PROPOSED),
    ]
    assert any("Bokbussforeningen" in issue.message for issue in found.issues)


def test_glued_columns_are_cut_where_the_row_adds_up_and_reported_where_it_cannot(tmp_path):
    found = read(tmp_path, """
        St.prp. nr. 40 (2031-32)

        Ny saldering av statsbudsjettet

        Inntekter

        1 000 kroner

        Kap.PostFormålS III 2031Endringer foreslått etter S IIIEndringer foreslått i denne proposisjonenStatus etter salderingen
        3410Folkehøgskolane (jf. kap. 410)
        1Inntekter ved oppdrag204 51130 000-234 511
        49Salg av eiendom-20-20
        2Salgsinntekter m.v.161 500-1 516
        3Leieinntekter1 2001 000-2 100
    """)
    assert rows(found) == [
        ("3410/01", Kind.PREVIOUS_TOTAL, D(204511000), Status.ENACTED),
        ("3410/01", Kind.CHANGE, D(30000000), Status.PROPOSED),
        ("3410/01", Kind.NEW_TOTAL, D(234511000), Status.PROPOSED),
        ("3410/49", Kind.CHANGE, D(20000), Status.PROPOSED),
        ("3410/49", Kind.NEW_TOTAL, D(20000), Status.PROPOSED),
        ("3410/02", Kind.PREVIOUS_TOTAL, D(16000), Status.ENACTED),  # 16 + 1 500 = 1 516, not 161 500
        ("3410/02", Kind.CHANGE, D(1500000), Status.PROPOSED),
        ("3410/02", Kind.NEW_TOTAL, D(1516000), Status.PROPOSED),
    ]
    assert any("Leieinntekter" in issue.message for issue in found.issues)  # 1 200 + 1 000 is not 2 100


def test_a_glued_row_of_kapittel_and_post_has_a_two_digit_post(tmp_path):
    found = read(tmp_path, """
        St.prp. nr. 7 (2031-2032)

        2 Fordeling av midler

        Dette er lagt inn i budsjettet med følgende fordeling på virksomheter:

              (i 1 000 kr)
        Kap.PostVirksomhetBeløp
        120001Departementet2 413
        90521Instituttet88
    """)
    assert rows(found) == [
        ("1200/01", Kind.TABLE_TOTAL, D(2413000), Status.PROPOSED),
        ("905/21", Kind.TABLE_TOTAL, D(88000), Status.PROPOSED),
    ]


def test_a_table_flattened_a_row_a_line_with_pipes_reads_kapittel_rows_and_post_rows(tmp_path):
    found = read(tmp_path, """
        Innst. 8 S (2031–2032)

        3.1 Bevilgningsforslag for budsjettkapitler og poster i rammeområde 12
        (90-poster behandles av finanskomiteen utenfor rammesystemet)
        Kap. | Post | Formål | Prop. 1 S (2031–2032) |
        Utgifter | |||
        631 | Tilsynet | ||
        1 | Driftsutgifter | 88 412 000 | |
        21 | Spesielle driftsutgifter | 3 500 000 | |
        Sum utgifter rammeområde 12 | 91 912 000 | ||
        Inntekter | |||
        3631 | Tilsynet | ||
        2 | Gebyrer | 1 200 000 | |
        II
        Merinntektsfullmakter
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [
        ("631/01", Kind.TABLE_TOTAL, D(88412000)),
        ("631/21", Kind.TABLE_TOTAL, D(3500000)),
        ("3631/02", Kind.TABLE_TOTAL, D(1200000)),
    ]


def test_a_table_row_over_several_lines_reads_each_alternative_and_its_bracketed_change(tmp_path):
    found = read(tmp_path, """
        |
                            Utgifter (i tusen
        kroner)
                           |

                        |
                            410
                           |
                         |
                            Direktoratet
                           |
                         |
                         |

                        |
                         |
                            1
                           |
                            Driftsutgifter
                           |
                            100 000
                           |
                            99 500
        (-500)
                           |
                            100 000
        (0)
                           |
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [
        ("410/01", Kind.TABLE_TOTAL, D(100000000)),
        ("410/01", Kind.TABLE_TOTAL, D(99500000)),
        ("410/01", Kind.CHANGE, D(-500000)),
        ("410/01", Kind.TABLE_TOTAL, D(100000000)),  # a zero change says nothing
    ]


def test_a_range_whose_unit_is_written_once_gives_both_ends(tmp_path):
    found = read(tmp_path, """
        Prop. 30 S (2031–2032)

        Kap. 940 Havdirektoratet

        Post 21 Særskilde driftsutgifter, kan overførast

        Departementet gjer framlegg om å auke løyvinga med 6 mill. kroner, frå 31,2 til 37,2 mill. kroner.
    """)
    assert rows(found) == [
        ("940/21", Kind.CHANGE, D(6000000), Status.PROPOSED),
        ("940/21", Kind.PREVIOUS_TOTAL, D(31200000), Status.PROPOSED),
        ("940/21", Kind.NEW_TOTAL, D(37200000), Status.PROPOSED),
    ]


def test_a_list_of_post_numbers_ends_its_sentence(tmp_path):
    found = read(tmp_path, """
        Prop. 31 S (2031–2032)

        Kap. 720 Direktoratet

        Post 21 Spesielle driftsutgifter

        Andelen ble trukket fra rammen, jf. omtale under kap. 2755, postene 70 og 71. På bakgrunn av dette
        foreslås det å øke bevilgningen på posten med 4 mill. kroner.
    """)
    assert rows(found) == [("720/21", Kind.CHANGE, D(4000000), Status.PROPOSED)]


def test_a_share_of_the_posts_money_given_to_a_recipient_is_an_earmark_of_the_post(tmp_path):
    found = read(tmp_path, """
        Prop. 32 S (2031–2032)

        Kap. 520 Departementet

        Post 70 Diverse formål, kan overføres

        Det foreslås at Senteret får et tilskudd på 300 000 kroner innenfor gjeldende bevilgning.

        Post 71 Tilskudd

        Av bevilgningen går 1,5 mill. kroner til opplæring. Om lag 3 mill. kroner går til drift av prosjektet.
    """)
    assert rows(found) == [
        ("520/70", Kind.EARMARK, D(300000), Status.PROPOSED),
        ("520/71", Kind.EARMARK, D(1500000), Status.PROPOSED),
        ("520/71", Kind.EARMARK, D(3000000), Status.PROPOSED),
    ]


def test_the_appropriation_stated_with_er_is_the_posts_total(tmp_path):
    found = read(tmp_path, """
        Innst. 44 S (2031–2032)

        12.15.1 Post 4 Refusjon av utgifter

        12.15.1.1 Sammendrag

        Bevilgningen på posten er 40,3 mill. kroner.

        Samlet foreslås det å redusere bevilgningen på kap. 3822 post 4 med 2,2 mill. kroner.
    """)
    assert rows(found) == [
        ("3822/04", Kind.STATED_TOTAL, D(40300000), Status.PROPOSED),
        ("3822/04", Kind.CHANGE, D(-2200000), Status.PROPOSED),
    ]


def test_money_moved_from_a_named_post_is_that_posts_decrease_not_its_increase(tmp_path):
    found = read(tmp_path, """
        Innst. 50 S (2031–2032)

        20.23.1 Post 1 Driftsutgifter

        20.23.1.1 Sammendrag

        I forslaget inngår en økning på 12 mill. kroner, som foreslås omdisponert fra kap. 1733 post 78 til
        dekning av økte utgifter. I forslaget inngår også en reduksjon på 3,5 mill. kroner.
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [
        ("1733/78", Kind.CHANGE, D(-12000000)),  # the heading's post (kapittel not named) is not guessed
    ]
    assert any("3,5 mill. kroner" in (issue.quote or "") or "uten kapittel" in issue.message for issue in found.issues)


def test_a_regrouping_from_one_post_to_another_moves_the_amount(tmp_path):
    found = read(tmp_path, """
        Innstilling fra forsvarskomiteen om endringer på statsbudsjettet

        Innhold
        - Omgruppering av 12 mill. kroner fra kap. 1720 post 01 til kap. 1760 post 45
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [
        ("1720/01", Kind.CHANGE, D(-12000000)),
        ("1760/45", Kind.CHANGE, D(12000000)),
    ]


def test_a_kapittel_with_one_post_in_the_table_above_is_the_topic_of_the_prose_under_it(tmp_path):
    found = read(tmp_path, """
        Prop. 1 S

        Svalbardbudsjettet

        (i 1 000 kr)

        Post

        Nemning

        Saldert budsjett 2031

        Forslag 2032

        01

        Driftsutgifter

        40 100

        41 000

        Sum kap. 0005

        40 100

        41 000

        Regjeringa foreslår å auke løyvinga med 250 000 kroner grunna ei ny stilling.
    """)
    assert rows(found)[-1] == ("5/01", Kind.CHANGE, D(250000), Status.PROPOSED)


def test_a_small_kapittel_number_in_a_capitals_heading_is_a_kapittel(tmp_path):
    found = read(tmp_path, """
        Prop. 1 S

        KAP 3 TILSKUDD TIL LOKALSTYRET

        Post 70 Tilskudd til velferdsarbeid

        Det foreslås at Lokalrådet får bevilget 640 000 kroner til støtte til velferdsformål.
    """)
    assert rows(found) == [("3/70", Kind.EARMARK, D(640000), Status.PROPOSED)]


def test_an_amount_without_a_post_takes_the_one_post_its_paragraph_names(tmp_path):
    found = read(tmp_path, """
        Fordeling av tilskudd til kulturminner - 2031

        Sammendrag

        Fylkesrådet tildeler 2 310 000 kroner i tilskudd til istandsetting av fartøy. Midlene er en del av
        rammetilskuddet fra Riksantikvaren over statsbudsjettet kap. 1429, post 74 fartøyvern.
    """)
    assert [(post, amount) for post, _, amount, _ in rows(found)] == [("1429/74", D(2310000))]
    two_posts = read(tmp_path, """
        Fordeling av tilskudd til kulturminner - 2031

        Sammendrag

        Fylkesrådet tildeler 2 310 000 kroner i tilskudd til istandsetting av fartøy. Midlene kommer fra
        kap. 1429, post 74 og kap. 1429, post 79.
    """)
    assert rows(two_posts) == []  # which of the two is not said: reported, not guessed
    assert any("2 310 000" in (issue.quote or "") for issue in two_posts.issues)


def test_posts_named_by_number_and_hyphen_take_what_is_granted_and_kept_on_them(tmp_path):
    found = read(tmp_path, """
        Innst. 60 S (2031–2032)

        17.10.1 Post 1 Driftsutgifter

        17.10.1.1 Sammendrag

        I statsbudsjettet er det bevilget 12 mill. kroner under kap. 1480 post 1. Det foreslås nå en ny
        fordeling, hvor 4 mill. kroner bevilges på en 50-post, mens 8 mill. kroner beholdes på 1-posten.
    """)
    assert rows(found) == [
        ("1480/01", Kind.STATED_TOTAL, D(12000000), Status.PROPOSED),
        ("1480/50", Kind.STATED_TOTAL, D(4000000), Status.PROPOSED),
        ("1480/01", Kind.NEW_TOTAL, D(8000000), Status.PROPOSED),
    ]


def test_money_carried_over_belongs_to_the_one_expense_kapittel_the_section_heading_names(tmp_path):
    found = read(tmp_path, """
        Prop. 90 S (2031–2032)

        8 Oversikt over postene på kapittel 1160 og 4160

        8.1 Budsjettmessige forhold

        Tabell 8.1 Overførte beløp fra 2031 til 2032. Mill. kroner.

        Post

        Ordning

        Budsjett minus forbruk

        21

        Spesielle driftsutgifter (kan overføres)

        2,125

        70

        Markedstiltak (kan overføres)

        11,400

        Sum overførte bevilgninger

        13,525
    """)
    assert rows(found) == [
        ("1160/21", Kind.CARRIED_OVER, D(2125000), Status.ENACTED),  # income (4160) is not carried over
        ("1160/70", Kind.CARRIED_OVER, D(11400000), Status.ENACTED),
    ]


def test_rows_of_pipe_cells_are_found_without_blank_lines_between_them(tmp_path):
    found = read(tmp_path, """
        |
        Utgifter (i tusen kroner)
        |
        |
        410
        |
        |
        Direktoratet
        |
        |
        |
        1
        |
        Driftsutgifter
        |
        100 000
        |
        99 500
        (-500)
        |
        |
        420
        |
        |
        Tilsynet
        |
        |
        |
        1
        |
        Driftsutgifter
        |
        50 000
        |
        48 000
        (-2 000)
        |
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [
        ("410/01", Kind.TABLE_TOTAL, D(100000000)),
        ("410/01", Kind.TABLE_TOTAL, D(99500000)),
        ("410/01", Kind.CHANGE, D(-500000)),
        ("420/01", Kind.TABLE_TOTAL, D(50000000)),
        ("420/01", Kind.TABLE_TOTAL, D(48000000)),
        ("420/01", Kind.CHANGE, D(-2000000)),
    ]


def test_a_table_one_cell_a_line_right_under_its_caption_line(tmp_path):
    found = read(tmp_path, """
        Prop. 90 S (2031–2032)
        8 Oversikt over postene på kapittel 1160 og 4160
        Tabell 8.1 Overførte beløp fra 2031 til 2032. Mill. kroner.
        Post
        Ordning
        Budsjett minus forbruk
        21
        Spesielle driftsutgifter (kan overføres)
        2,125
        Sum overførte bevilgninger
        2,125
    """)
    assert rows(found) == [("1160/21", Kind.CARRIED_OVER, D(2125000), Status.ENACTED)]


def test_a_pipe_table_of_plain_kroner_columns_reads_the_posts_amount_not_the_kapittel_sum_beside_it(tmp_path):
    # Prop. 1 S "Forslag til vedtak" as one cell a line with pipes: "Kap. | Post | Kroner | Kroner |
    # Kroner |" has no name heading, and the second and third "Kroner" columns hold the kapittel's and
    # the programme area's sums, written on the row of the kapittel's last post.
    found = read(tmp_path, """
        I
        Utgifter:
        Kap. |
        Post |
        Kroner |
        Kroner |
        Kroner |
        |
        ---|---|---|---|---|---|
        Administrasjon |
        |||||
        700 |
        Tilsynsdepartementet |
        ||||
        01 |
        Driftsutgifter |
        120 000 000 |
        120 000 000 |
        ||
        701 |
        Utredning |
        ||||
        21 |
        Spesielle driftsutgifter |
        40 000 000 |
        |||
        50 |
        Forskningsrådet |
        15 500 000 |
        55 500 000 |
        ||
        Sum Administrasjon |
        175 500 000 |
        ||||
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [
        ("700/01", Kind.TABLE_TOTAL, D(120000000)),
        ("701/21", Kind.TABLE_TOTAL, D(40000000)),
        ("701/50", Kind.TABLE_TOTAL, D(15500000)),
    ]


def test_money_moved_from_named_posts_in_a_sentence_that_states_the_heading_posts_increase_is_not_added_to_it_again(tmp_path):
    # Nynorsk Prop. S: the increase of the heading's post is stated once; each "frå kap. …, post …" clause
    # is the decrease of the post it names; the moved money is part of the increase already stated.
    found = read(tmp_path, """
        Prop. 20 S (2031–2032)

        2 Forslag til endringar av løyvingane under dei enkelte kapittel

        Kap. 710 Digitalisering

        Post 21 Spesielle driftsutgifter

        Departementet foreslår å auke løyvinga på kap. 710, post 21 med 6 mill. kroner, kor 4 mill. kroner flyttast frå kap. 2790, post 70 og 2 mill. kroner frå kap. 2790, post 71, knytt til desse endringane.
    """)
    assert sorted((post, amount) for post, _, amount, _ in rows(found)) == [
        ("2790/70", D(-4000000)),
        ("2790/71", D(-2000000)),
        ("710/21", D(6000000)),
    ]


def test_a_table_cut_off_inside_its_last_amount_reports_that_amount_instead_of_reading_it(tmp_path):
    # A stored copy ends where the page was cut: "310" is what is left of "310 000 000".
    found = read(tmp_path, """
        I

        Utgifter:

        Kap.

        Post

        Kroner

        Kroner

        225

        Tiltak i grunnopplæringa

        01

        Driftsutgifter

        23 902 000

        21

        Særskilde driftsutgifter

        114 780 000

        68

        Tilskot til opplæring i kriminalomsorga

        310
    """)
    assert [(post, amount) for post, _, amount, _ in rows(found)] == [
        ("225/01", D(23902000)),
        ("225/21", D(114780000)),
    ]
    assert any(issue.line == 33 and "310" in issue.message for issue in found.issues)


def test_a_share_that_makes_up_an_amount_is_reported_not_read_as_the_posts_appropriation(tmp_path):
    found = read(tmp_path, """
        Prop. 20 S (2031–2032)

        Kap. 710 Digitalisering

        Post 21 Spesielle driftsutgifter

        Departementet foreslår å auke løyvinga med 6 mill. kroner.

        Statens del utgjer 4 mill. kroner til utvikling av journalsystem for legane.
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [("710/21", Kind.CHANGE, D(6000000))]
    assert any(issue.line == 9 and "4 mill. kroner" in issue.message for issue in found.issues)


def test_a_committee_proposing_to_nedsette_a_named_post_gives_that_posts_decrease(tmp_path):
    found = read(tmp_path, """
        Innst. S. nr. 260 (2031–2032)

        17. Finansdepartementet

        Grunnet behov for omprioriteringer i budsjettet foreslår komiteens flertall å nedsette kap. 1610 post 1 med 10 mill. kroner i forhold til Regjeringens forslag.
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [("1610/01", Kind.CHANGE, D(-10000000))]


def test_money_incorporated_for_a_purpose_on_a_named_post_is_an_earmark_of_that_post(tmp_path):
    found = read(tmp_path, """
        Innst. 126 S (2031–2032)

        Kap. 320 Norsk kulturråd

        Post 55 Norsk kulturfond

        I statsbudsjettet for 2031 er det innarbeidet 4 mill. kroner til en ny tilskuddsordning for scenekunstgrupper på kap. 320 post 75. Bevilgningen på posten foreslås på denne bakgrunn økt med 4 mill. kroner.
    """)
    assert [(post, kind, amount) for post, kind, amount, _ in rows(found)] == [
        ("320/75", Kind.EARMARK, D(4000000)),
        ("320/55", Kind.CHANGE, D(4000000)),
    ]
