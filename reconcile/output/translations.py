"""Text the library writes in one language, said in the other: one language per run (`--lang`).

The stages say what they found in one language each: errors (bad input, unusable outputs) in
English, notes, causes and the letters' audit in Norwegian bokmål. Before anything reaches the
user it passes `in_language(text, lang)`, which applies the phrase table of that direction below:
regular expressions over the text, the more specific first. Quoted text («…», from a letter or a
workbook) is never translated. The tables are data; `tests/test_first_hour.py` checks that no
phrase of one language is left in the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reconcile.output.wording import TEXT

_N = r"([-−]?\d[\d ]*(?:,\d+)?)"  # an amount as format_nok writes it
_P = r"(\d{3,4}/\d{2})"  # a post

# English (as the stages raise errors) -> Norwegian bokmål.
TO_NB: list[tuple[str, str]] = [
    # paths and outputs
    (r"^no such file$", "filen finnes ikke"),
    (r"^no such (layout|suite|explanations) file$", lambda m: f"finner ikke {_NB_KIND[m[1]]}"),
    (r"^is a directory, not a (workbook|letter file|layout file|suite file|explanations file)$",
     lambda m: f"er en mappe, ikke {_NB_ARTICLE[m[1]]}"),
    (r"^the output exists; use --force to replace it$", "utdataene finnes allerede; bruk --force for å erstatte dem"),
    (r"^the file exists; use --force to replace it$", "filen finnes allerede; bruk --force for å erstatte den"),
    (r"^the output would overwrite the input$", "utdataene ville skrevet over inndataene"),
    (r"^the output is the same file as the input: the input is never changed$",
     "utdataene er samme fil som inndataene: inndataene endres aldri"),
    (r"^the output folder cannot be created: (.+) is a file$", r"utdatamappen kan ikke lages: \1 er en fil"),
    (r"^the output folder cannot be created$", "utdatamappen kan ikke lages"),
    (r"^the output folder does not exist$", "utdatamappen finnes ikke"),
    (r"^cannot create the output folder: ", "kan ikke lage utdatamappen: "),
    (r"^cannot write in the output folder: ", "kan ikke skrive i utdatamappen: "),
    (r"^cannot write the output: ", "kan ikke skrive utdataene: "),
    (r"^cannot use the output file: ", "kan ikke bruke utdatafilen: "),
    (r"^cannot write here: ", "kan ikke skrive her: "),
    (r"^cannot write: ", "kan ikke skrive: "),
    (r"Permission denied", "ingen tilgang"),
    (r"No space left on device", "disken er full"),
    (r"Is a directory", "er en mappe"),
    # the operating system's reasons (strerror) that follow a message above
    (r"No such file or directory", "finnes ikke"),
    (r"Not a directory", "ikke en mappe"),
    (r"Read-only file system", "filsystemet er skrivebeskyttet"),
    (r"Operation not permitted", "ikke tillatt"),
    (r"File name too long", "filnavnet er for langt"),
    (r"Disk quota exceeded", "diskkvoten er brukt opp"),
    (r"Too many levels of symbolic links", "for mange symbolske lenker etter hverandre"),
    (r"Input/output error", "inn-/utdatafeil"),
    (r"^--out names one output; use --out-dir with several workbooks$",
     "--out gir én utdatafil; bruk --out-dir med flere arbeidsbøker"),
    (r"^name at least one workbook \(reconcile WORKBOOK\.xlsx\); see reconcile --help$",
     "oppgi minst én arbeidsbok (reconcile ARBEIDSBOK.xlsx); se reconcile --help"),
    (r"^--as-of (-?\d+): the letters run from letter (\d+) to (\d+)$",
     r"--as-of \1: brevene går fra tillegg nr. \2 til \3"),
    (r"^--as-of (-?\d+): the letters run from no letter \(none was read\)$", r"--as-of \1: ingen brev ble lest"),
    # the workbook
    (r"^found no table of budget posts \(kapittel/post and amounts\) to check: see reconcile WORKBOOK "
     r"--explain-layout, or name the columns in a layout file \(--layout\)$",
     "fant ingen tabell med budsjettposter (kapittel/post og beløp) å kontrollere: se reconcile ARBEIDSBOK "
     "--explain-layout, eller angi kolonnene i en layoutfil (--layout)"),
    (r"^found tables of budget posts, but no column of amounts that agrees with the letters: see reconcile "
     r"WORKBOOK --explain-layout, or name the columns in a layout file \(--layout\)$",
     "fant tabeller med budsjettposter, men ingen kolonne med beløp som stemmer med brevene: se reconcile "
     "ARBEIDSBOK --explain-layout, eller angi kolonnene i en layoutfil (--layout)"),
    (r"^found no table of budget posts with the layout file (.+?)(?=; in it|: see reconcile)",
     r"fant ingen tabell med budsjettposter med layoutfilen \1"),
    (r"; in it, these matched nothing in the workbook: ", "; av den passet dette ikke med noe i arbeidsboka: "),
    (r": see reconcile WORKBOOK --explain-layout --layout FILE$", ": se reconcile ARBEIDSBOK --explain-layout --layout FIL"),
    # --- issue 15: sheets measured before they are read, refused, or not read (workbook/container.py,
    # extents.py, reader.py, pipeline.py), and python-calamine's errors in words (workbook/cells.py
    # `in_words`, in errors and in the notes of sheets not read). Before the generic 'sheet «' below.
    (r"^found no table of budget posts to check: sheet («.*?») was not read \(",
     r"fant ingen tabell med budsjettposter å kontrollere: arket \1 ble ikke lest ("),
    (r"^refused: sheet («.*?») spans (\S+) \(([\d ]+) cells\), far more than a sheet to read holds "
     r"\(a value far out in the sheet\?\)$",
     r"avvist: arket \1 dekker \2 (\3 celler), langt flere enn et ark som skal leses kan ha "
     r"(en verdi langt ute i arket?)"),
    (r"^refused: the workbook lists more than ([\d ]+) sheets, more than a spreadsheet program opens$",
     r"avvist: arbeidsboka har mer enn \1 ark, flere enn et regnearkprogram åpner"),
    (r"^damaged workbook: the sheets («.*?») and («.*?») point at the same part («.*?»)$",
     r"skadet arbeidsbok: arkene \1 og \2 peker på samme del \3"),
    (r"^damaged workbook: sheet part («.*?») is not where the workbook says$",
     r"skadet arbeidsbok: arkdelen \1 er ikke der arbeidsboka sier"),
    (r"^damaged workbook: content\.xml cannot be read ", "skadet arbeidsbok: content.xml kan ikke leses "),
    (r"^damaged workbook: the \.xlsb records cannot be followed ", "skadet arbeidsbok: postene i .xlsb-filen kan ikke følges "),
    (r"^damaged workbook: a sheet part cannot be unpacked ", "skadet arbeidsbok: en arkdel kan ikke pakkes ut "),
    (r"^damaged workbook: part (\S+) is not well-formed XML ", r"skadet arbeidsbok: delen \1 er ikke gyldig XML "),
    (r"^damaged or truncated Office 97-2003 file: its directory of streams cannot be read$",
     "skadet eller avkuttet Office 97-2003-fil: katalogen over strømmene kan ikke leses"),
    (r"^password-protected workbook \(an \.xls with a password to open or an obfuscated one\): save a copy "
     r"without a password and read that$",
     "passordbeskyttet arbeidsbok (en .xls med passord for å åpne den, eller en tilslørt): lagre en kopi uten "
     "passord og les den"),
    (r"^the \.xls file is damaged or truncated: its inner file structure cannot be followed ",
     ".xls-filen er skadet eller avkuttet: den indre filstrukturen kan ikke følges "),
    (r"^a zip package whose main part is <(.*?)>, not a workbook$", r"en zip-pakke der hoveddelen er <\1>, ikke en arbeidsbok"),
    (r"^named (\.\w+) but (?=not a spreadsheet)", r"heter \1, men er "),
    (r"\bthe \.xls file is damaged or truncated: its inner file structure \(OLE2\) cannot be followed",
     ".xls-filen er skadet eller avkuttet: den indre filstrukturen (OLE2) kan ikke følges"),
    (r"\bthe \.xls text cannot be decoded: password-protected \(obfuscated\) or damaged",
     "teksten i .xls-filen kan ikke dekodes: passordbeskyttet (tilslørt) eller skadet"),
    (r"\bpassword-protected workbook: save a copy without a password and read that\b",
     "passordbeskyttet arbeidsbok: lagre en kopi uten passord og les den"),
    (r"\bthe zip archive of the workbook is damaged\b", "zip-arkivet til arbeidsboka er skadet"),
    (r"\ba sheet spans more cells than can be read \(a value far out in the sheet\?\)",
     "et ark dekker flere celler enn som kan leses (en verdi langt ute i arket?)"),
    (r"\bit has a sheet of a kind that cannot be read\b", "den har et ark av en type som ikke kan leses"),
    (r"\bthe workbook names a part its package does not have\b", "arbeidsboka viser til en del som pakken ikke har"),
    (r"\ba part the workbook names is missing from the package\b", "en del som arbeidsboka viser til, mangler i pakken"),
    (r"\ba cell holds an error value the reader does not know\b", "en celle har en feilverdi leseren ikke kjenner"),
    (r"\ba cell refers to a shared text that does not exist\b", "en celle viser til en delt tekst som ikke finnes"),
    (r"\ba part of the workbook is not well-formed XML\b", "en del av arbeidsboka er ikke gyldig XML"),
    # --- end of issue 15's errors
    (r"\bsheet pattern «", "arkmønster «"),
    (r"\bcolumn ([A-Z]+) on sheet «", r"kolonne \1 på arket «"),
    (r"\bheader_rows ([\d, ]+) on sheet «(.*?)» \(no table of posts below them\)",
     r"header_rows \1 på arket «\2» (ingen posttabell under dem)"),
    (r"\bheader «", "overskrift «"),
    (r"\bsheet «", "ark «"),
    (r"^the workbook file is empty \(0 bytes\)$", "arbeidsbokfilen er tom (0 byte)"),
    (r"^damaged or truncated workbook: not a complete zip archive$", "skadet eller avkuttet arbeidsbok: ikke et helt zip-arkiv"),
    (r"^damaged workbook: it has no sheets$", "skadet arbeidsbok: den har ingen ark"),
    (r"^damaged workbook: cannot read its mimetype$", "skadet arbeidsbok: kan ikke lese mimetype"),
    (r"^damaged workbook: the zip archive lists a part without a name$", "skadet arbeidsbok: zip-arkivet har en del uten navn"),
    (r"^damaged workbook: part (\S+) cannot be unpacked ", r"skadet arbeidsbok: delen \1 kan ikke pakkes ut "),
    (r"^damaged workbook: xl/workbook\.xml is not well-formed XML ", "skadet arbeidsbok: xl/workbook.xml er ikke gyldig XML "),
    (r"^password-protected \(encrypted\) workbook: save a copy without a password and read that$",
     "passordbeskyttet (kryptert) arbeidsbok: lagre en kopi uten passord og les den"),
    (r"^password-protected workbook: save a copy without a password and read that$",
     "passordbeskyttet arbeidsbok: lagre en kopi uten passord og les den"),
    (r"^the file is encrypted \(password-protected\) or in the old \.xls format: save it as \.xlsx without a password$",
     "filen er kryptert (passordbeskyttet) eller i det gamle .xls-formatet: lagre den som .xlsx uten passord"),
    (r"^refused: the archive has (\d+) parts, far more than a workbook$", r"avvist: arkivet har \1 deler, langt flere enn en arbeidsbok"),
    (r"^refused: the workbook would unpack to (\d+) MB, far beyond a sane size \(zip bomb\?\)$",
     r"avvist: arbeidsboka ville pakkes ut til \1 MB, langt over en rimelig størrelse (zip-bombe?)"),
    (r"^refused: part (\S+) unpacks from (\d+) bytes to (\d+) MB \(zip bomb\?\)$",
     r"avvist: delen \1 pakkes ut fra \2 byte til \3 MB (zip-bombe?)"),
    (r"^refused: part (\S+) declares a DOCTYPE or ENTITY \(XXE risk\); a workbook saved by Excel or LibreOffice has none$",
     r"avvist: delen \1 har en DOCTYPE- eller ENTITY-erklæring (XXE-risiko); en arbeidsbok lagret av Excel eller LibreOffice har ingen"),
    (r"^part (\S+) inflates suspiciously far \(zip bomb\?\)$", r"delen \1 pakkes ut mistenkelig langt (zip-bombe?)"),
    (r"^part (\S+) is too large \((\d+) bytes\)$", r"delen \1 er for stor (\2 byte)"),
    (r"^part (\S+) is missing from the package$", r"delen \1 mangler i pakken"),
    (r"^the package is too large unpacked \((\d+) bytes\)$", r"pakken er for stor utpakket (\1 byte)"),
    (r"^too many parts in the package \((\d+)\)$", r"for mange deler i pakken (\1)"),
    (r"^the package has several parts with the same name$", "pakken har flere deler med samme navn"),
    (r"^the package has encrypted parts$", "pakken har krypterte deler"),
    (r"^the package has no \[Content_Types\]\.xml: not an Excel file$", "pakken mangler [Content_Types].xml: ikke en Excel-fil"),
    (r"^found no workbook in the package$", "fant ingen arbeidsbok i pakken"),
    (r"^not a valid \.xlsx/\.xlsm file \(zip\): ", "ikke en gyldig .xlsx/.xlsm-fil (zip): "),
    (r"^sheet '(.*?)' is damaged in the package: ", r"arket «\1» er skadet i pakken: "),
    (r"^cannot unpack (\S+): ", r"kan ikke pakke ut \1: "),
    (r"^unreadable XML in (\S+): ", r"uleselig XML i \1: "),
    (r"^unreadable styles part (\S+): ", r"uleselig stildel \1: "),
    (r"^cannot read the workbook's sheet list: ", "kan ikke lese arbeidsbokas arkliste: "),
    (r"^cannot read the workbook: ", "kan ikke lese arbeidsboka: "),
    (r"^cannot read the previous annotated copy: ", "kan ikke lese den forrige kommenterte kopien: "),
    (r"^no 'Avstemming' sheet: not an annotated copy made by reconcile$",
     "ingen «Avstemming»-ark: ikke en kommentert kopi laget av reconcile"),
    (r"^cannot read: ", "kan ikke lese: "),
    # a workbook named for what it is not ("named .xlsx but a PDF"); letters have their own wording below
    (r"^named (\.\w+) but (?=an? )", r"heter \1, men er "),
    (r"\ba PDF, not a spreadsheet$", "en PDF, ikke et regneark"),
    (r"\ban HTML page, not a spreadsheet \(saved from a web page\?\): save it as \.xlsx$",
     "en HTML-side, ikke et regneark (lagret fra en nettside?): lagre den som .xlsx"),
    (r"\ban Excel 2003 XML spreadsheet, which cannot be read: save it as \.xlsx$",
     "et Excel 2003 XML-regneark, som ikke kan leses: lagre det som .xlsx"),
    (r"\ban RTF document, not a spreadsheet$", "et RTF-dokument, ikke et regneark"),
    (r"\ba text file \(CSV\?\), not a spreadsheet: open it in Excel and save it as \.xlsx$",
     "en tekstfil (CSV?), ikke et regneark: åpne den i Excel og lagre den som .xlsx"),
    (r"\bnot a spreadsheet \(unknown file format\)$", "ikke et regneark (ukjent filformat)"),
    (r"^a Word document \(\.docx\), not a spreadsheet$", "et Word-dokument (.docx), ikke et regneark"),
    (r"^a PowerPoint presentation, not a spreadsheet$", "en PowerPoint-presentasjon, ikke et regneark"),
    (r"^a Word 97-2003 document \(\.doc\), not a spreadsheet$", "et Word 97-2003-dokument (.doc), ikke et regneark"),
    (r"^a PowerPoint 97-2003 presentation, not a spreadsheet$", "en PowerPoint 97-2003-presentasjon, ikke et regneark"),
    (r"^an OLE2 \(Office 97-2003\) file without a workbook stream, not a spreadsheet$",
     "en OLE2-fil (Office 97-2003) uten arbeidsbok, ikke et regneark"),
    (r"^a zip archive, but not a spreadsheet \(no workbook inside\)$", "et zip-arkiv, men ikke et regneark (ingen arbeidsbok i det)"),
    (r"^an OpenDocument file of another kind \((.*)\), not a spreadsheet$", r"en OpenDocument-fil av en annen type (\1), ikke et regneark"),
    (r"^the main part is (\S+), not a workbook$", r"hoveddelen er \1, ikke en arbeidsbok"),
    (r"^unknown namespace for the workbook: ", "ukjent navnerom for arbeidsboka: "),
    # letters
    (r"^the letter file is empty \(0 bytes\)$", "brevfilen er tom (0 byte)"),
    (r"^the letter file contains only whitespace$", "brevfilen inneholder bare blanktegn"),
    (r"^the folder holds no letter files \(\.txt, \.pdf, \.docx\)$", "mappen har ingen brevfiler (.txt, .pdf, .docx)"),
    (r"^the folder holds no letter files \(\.txt, \.html, \.htm, \.pdf, \.docx\)$",
     "mappen har ingen brevfiler (.txt, .html, .htm, .pdf, .docx)"),
    (r"^named (\.html?) but the content is not a web page \(no HTML markup\)$",
     r"heter \1, men innholdet er ikke en nettside (ingen HTML-koder)"),
    (r"^the web page is unreadable \((.*)\)$", r"nettsiden kan ikke leses (\1)"),
    (r"^the web page has no text \(only markup, scripts or images\?\)$",
     "nettsiden har ingen tekst (bare koder, skript eller bilder?)"),
    (r"^binary data, not a letter \(expected text, HTML, PDF or DOCX\)$",
     "binære data, ikke et brev (ventet tekst, HTML, PDF eller DOCX)"),
    (r"^a damaged zip archive, not a letter \(expected text, HTML, PDF or DOCX\)$",
     "et skadet zip-arkiv, ikke et brev (ventet tekst, HTML, PDF eller DOCX)"),
    (r"^a Word 97-2003 \.doc or a password-protected Office file, not a letter this tool can read: save it as an "
     r"unprotected \.docx or PDF$",
     "en Word 97-2003 .doc eller en passordbeskyttet Office-fil, ikke et brev verktøyet kan lese: lagre det som "
     "en ubeskyttet .docx eller PDF"),
    (r"^named \.pdf but the content is not a PDF \(no %PDF header\)$", "heter .pdf, men innholdet er ikke en PDF (ingen %PDF-innledning)"),
    (r"^named \.docx but the content is not a DOCX \(not a zip archive\)$", "heter .docx, men innholdet er ikke en DOCX (ikke et zip-arkiv)"),
    (r"^the PDF is truncated or corrupt \(no %%?EOF at the end\)$", "PDF-en er avkuttet eller skadet (ingen %%EOF til slutt)"),
    (r"^the PDF has no pages$", "PDF-en har ingen sider"),
    (r"^the PDF has no text layer \(a scanned letter\?\): run OCR on it first$",
     "PDF-en har ikke noe tekstlag (et skannet brev?): kjør OCR på den først"),
    (r"^the PDF is encrypted \(password-protected\): save an unprotected copy$",
     "PDF-en er kryptert (passordbeskyttet): lagre en ubeskyttet kopi"),
    (r"^the PDF is corrupt or unreadable ", "PDF-en er skadet eller uleselig "),
    (r"^the DOCX is corrupt or truncated \(not a readable zip archive\)$", "DOCX-filen er skadet eller avkuttet (ikke et lesbart zip-arkiv)"),
    (r"^the DOCX is corrupt: the zip archive has no (\S+)$", r"DOCX-filen er skadet: zip-arkivet mangler \1"),
    (r"^the DOCX is corrupt or unreadable ", "DOCX-filen er skadet eller uleselig "),
    (r"^the DOCX has no text \(only images\? a scanned letter\?\)$", "DOCX-filen har ingen tekst (bare bilder? et skannet brev?)"),
    (r"^a damaged zip archive, not a letter \(expected text, PDF or DOCX\)$",
     "et skadet zip-arkiv, ikke et brev (ventet tekst, PDF eller DOCX)"),
    (r"^a zip archive without (\S+), not a DOCX letter$", r"et zip-arkiv uten \1, ikke et DOCX-brev"),
    (r"^binary data, not a text file$", "binære data, ikke en tekstfil"),
    (r"^binary data, not a CSV file$", "binære data, ikke en CSV-fil"),
    (r"^starts with a UTF-16 byte order mark but is not UTF-16$", "begynner med et UTF-16-byteordensmerke, men er ikke UTF-16"),
    (r"^tillegg nr\. (\d+) appears twice in this file \(lines (\d+) and (\d+)\): give each letter once$",
     r"tillegg nr. \1 står to ganger i denne filen (linje \2 og \3): oppgi hvert brev én gang"),
    (r"^the allocation letter \(no supplement number\) appears twice in this file \(lines (\d+) and (\d+)\): give each letter once$",
     r"tildelingsbrevet (uten tilleggsnummer) står to ganger i denne filen (linje \1 og \2): oppgi hvert brev én gang"),
    (r"^(tillegg nr\. \d+|the allocation letter \(no supplement number\)) is also in (.+?), and the two disagree \((.*)\): "
     r"give only the right one$",
     lambda m: f"{_nb_letter(m[1])} står også i {m[2]}, og de to er uenige ({_kinds_said(m[3], 'nb')}): oppgi bare det riktige"),
    (r"^(tillegg nr\. \d+|the allocation letter \(no supplement number\)) is also in (.+?) \(the same letter twice\?\): "
     r"give each letter once$", lambda m: f"{_nb_letter(m[1])} står også i {m[2]} (samme brev to ganger?): oppgi hvert brev én gang"),
    (r"\bnothing here\)", "ingenting her)"),  # the second copy has nothing for the post
    (r" there, ", " der, "),
    (r" here\)", " her)"),
    (r"\bnothing there\b", "ingenting der"),
    # suite, layout and explanations files
    # a parser's own reason is English: say where it stopped instead
    (r"^not a JSON expectation suite: .*?: line (\d+) column (\d+) \(char \d+\)$",
     r"ikke en JSON-forventningssuite: feil på linje \1, kolonne \2"),
    (r"^(not a valid TOML layout file|cannot read explanations): .*\(at line (\d+), column (\d+)\)$",
     lambda m: f"{_NB_UNREADABLE[m[1]]}: feil på linje {m[2]}, kolonne {m[3]}"),
    (r"^(not a valid TOML layout file|cannot read explanations): .*\(at end of document\)$",
     lambda m: f"{_NB_UNREADABLE[m[1]]}: feil ved slutten av filen"),
    (r"'utf-8' codec can't decode bytes? .*? in position (\d+)(?:-\d+)?: .*$", r"ikke UTF-8-tekst (ugyldig byte i posisjon \1)"),
    (r"^not a JSON expectation suite: ", "ikke en JSON-forventningssuite: "),
    (r"^not a valid expectation suite: the file holds no JSON object$",
     "ikke en gyldig forventningssuite: filen inneholder ikke et JSON-objekt"),
    (r"^not a valid expectation suite: ", "ikke en gyldig forventningssuite: "),
    (r"^not a valid TOML layout file: ", "ikke en gyldig TOML-layoutfil: "),
    (r"^unknown key\(s\) in layout file: ", "ukjente nøkler i layoutfilen: "),
    (r"^unknown key\(s\) in \[\[sheet\]\]: ", "ukjente nøkler i [[sheet]]: "),
    (r"^\[\[sheet\]\] must be an array of tables$", "[[sheet]] må være en liste av tabeller"),
    (r"^each \[\[sheet\]\] must be a table$", "hver [[sheet]] må være en tabell"),
    (r"^each \[\[sheet\]\] needs exactly one of name = \.\.\. or match = \.\.\.$",
     "hver [[sheet]] trenger nøyaktig én av name = ... og match = ..."),
    (r"^bad match pattern (.*?): ", r"ugyldig mønster i match = \1: "),
    (r"^unknown layout (.*?); use one of ", r"ukjent oppsett \1; bruk et av "),
    (r"^header_rows must be a list of row numbers \(1-based\)$", "header_rows må være en liste med radnumre (fra 1)"),
    (r"^header_rows must be adjacent rows$", "header_rows må være rader som følger etter hverandre"),
    (r'^one_decimal_posts must be "tens" \(671\.1 = 671/10\) or "units" \(671\.1 = 671/01\)$',
     'one_decimal_posts må være "tens" (671.1 = 671/10) eller "units" (671.1 = 671/01)'),
    (r"letter must be a whole number \(0 = the tildelingsbrev\)$", "verdien i letter = N må være et heltall (0 = tildelingsbrevet)"),
    (r"^\[columns\] keys are column letters like \"F\", not (.*?): use \[headers\] for header text$",
     r'nøklene i [columns] er kolonnebokstaver som "F", ikke \1: bruk [headers] for overskriftstekst'),
    (r"^\[tolerance\] keys are posts like \"671/71\", not (.*)$", r'nøklene i [tolerance] er poster som "671/71", ikke \1'),
    (r"^a tolerance is a number of kroner, 0 or more$", "en toleranse er et antall kroner, 0 eller mer"),
    (r"^\[(\w+)\] must be a table$", r"[\1] må være en tabell"),
    (r"^(.*?): give a role, or \{ role = \.\.\., letter = \.\.\. \}$", r"\1: oppgi en rolle, eller { role = ..., letter = ... }"),
    (r": unknown key\(s\) ", ": ukjente nøkler "),
    (r": unknown role (.*?); use one of ", r": ukjent rolle \1; bruk en av "),
    (r"^unit must be 1, 1000 or 1000000$", "unit må være 1, 1000 eller 1000000"),
    (r"^explanations must be a \.csv, \.toml or a previous \.reconciled\.xlsx$",
     "forklaringer må være en .csv, en .toml eller en tidligere .reconciled.xlsx"),
    (r"^cannot read explanations: ", "kan ikke lese forklaringene: "),
    (r"^explanation (\d+): needs post, difference and reason ", r"forklaring \1: trenger post, avvik og forklaring "),
    (r"^explanation (\d+): ", r"forklaring \1: "),
    (r"unknown role (.*?) \(one of: ", r"ukjent rolle \1 (en av: "),
    (r"not a budget post: ", "ikke en budsjettpost: "),
    # click's own messages
    (r"^Invalid value for (.*?): ", r"ugyldig verdi for \1: "),
    (r"Directory (.*?) is a file\.", r"mappen \1 er en fil."),
    (r"^No such option: ", "ukjent valg: "),
    (r"^No such option '(.*?)'\.", r"ukjent valg \1."),
    (r" Did you mean '(.*?)'\?", r" Mente du \1?"),
    (r"^Missing argument '(.*?)'\.", r"mangler argumentet \1."),
    (r"^Option (.*?) requires an argument\.$", r"valget \1 trenger en verdi."),
    (r"^Missing option (.*?)\.", r"mangler valget \1."),
    (r"^Got unexpected extra arguments? ", "uventet argument "),
    (r"is not a valid integer\.", "er ikke et heltall."),
    (r"is not one of", "er ikke en av"),
    (r"^not an amount: ", "ikke et beløp: "),
    # last, once every phrase naming a letter has matched: letter 0 is the allocation letter, no supplement
    (r"\bTillegg nr\. 0\b", "Tildelingsbrevet"), (r"\btillegg nr\. 0\b", "tildelingsbrevet"),
]

_NB_UNREADABLE = {"not a valid TOML layout file": "ikke en gyldig TOML-layoutfil",
                  "cannot read explanations": "kan ikke lese forklaringene"}
_NB_KIND = {"layout": "layoutfilen", "suite": "suitefilen", "explanations": "forklaringsfilen"}
_NB_ARTICLE = {"workbook": "en arbeidsbok", "letter file": "en brevfil", "layout file": "en layoutfil",
               "suite file": "en suitefil", "explanations file": "en forklaringsfil"}


def _kinds_said(detail: str, lang: str) -> str:
    """'change_part -2 900 000' -> 'delendring -2 900 000': the statement kinds of two disagreeing copies
    of a letter (letters/loading.py writes their codes) named as the `letters` listing names them."""
    kinds = TEXT[lang]["kinds"]
    return re.sub(r"\b(" + "|".join(sorted(kinds, key=len, reverse=True)) + r")(?= [-−]?\d)",
                  lambda m: kinds[m[1]], detail)


def _nb_letter(name: str) -> str:
    return "tildelingsbrevet (uten tilleggsnummer)" if name.startswith("the allocation letter") else name


_EN_READING_ROLES = {"samlet tildeling": "total allocation", "årets tildeling": "this year's allocation",
                     "overført fra i fjor": "carried over from last year", "endringen": "the change",
                     "netto endring": "net change"}
_EN_UNITS = {"kroner": "kroner", "1 000 kr": "1 000 kr", "mill. kr": "million kr"}


def _en_reading(role: str, when: str, unit: str) -> str:
    """'samlet tildeling etter tillegg nr. 7 (siste brev) i kroner' -> 'total allocation after ... in kroner'."""
    when = (when.replace(" etter tillegg nr. ", " after supplement no. ").replace(" (siste brev)", " (the latest letter)")
            .replace(" etter siste brev", " after the latest letter").replace(" i tillegg nr. ", " in supplement no. "))
    return f"{_EN_READING_ROLES[role]}{when} in {_EN_UNITS[unit]}"


def _en_roles() -> list[tuple[str, str]]:
    """'lest som samlet tildeling' -> 'read as total': the role names of both languages, longest first."""
    nb, en = TEXT["nb"]["roles"], TEXT["en"]["roles"]
    pairs = sorted(((nb[code], en[code]) for code in nb), key=lambda pair: -len(pair[0]))
    return [(rf"\blest som {re.escape(name)}\b", f"read as {english}") for name, english in pairs]


# Norwegian bokmål (as the stages write notes, causes, the audit and --explain-layout) -> English;
# '^' and '$' anchor at the ends of one line: a report is translated line by line.
TO_EN: list[tuple[str, str]] = [
    # causes and details of findings
    (r"\bfortegnet er snudd\b", "the sign is flipped"),
    (r"\bbeløpet er oppgitt i feil enhet \(faktor (.+?)\)", r"the amount is in the wrong unit (factor \1)"),
    (r"\btilsvarer beløpet etter tillegg nr\. (\d+)", r"equals the amount after supplement no. \1"),
    (r"\bto nabosifre er byttet om i posteringen i (\S+)", r"two adjacent digits are swapped in the entry in \1"),
    (r"\bto nabosifre er byttet om\b", "two adjacent digits are swapped"),
    (r"\binnenfor avrundingen av beløpet i brevet\b", "within the rounding of the amount in the letter"),
    (r"\bbeløpet hører til post (\S+), som har dette postens beløp", r"the amount belongs to post \1, which holds this post's amount"),
    (r"\bposteringen i (\S+) har feil fortegn", r"the entry in \1 has the wrong sign"),
    (r"\bposteringen i (\S+) er ført i feil enhet", r"the entry in \1 is booked in the wrong unit"),
    (r"\bposteringen i (\S+) er ført to ganger \(også i (\S+)\)", r"the entry in \1 is booked twice (also in \2)"),
    (r"\btildelingsbrevene oppgir ikke noe slikt beløp for posten\b", "the letters state no such amount for the post"),
    (r"\bposten finnes ikke i tildelingsbrevene\b", "the post is not in the letters"),
    (r"\bcellen er tom\b", "the cell is empty"),
    (r"\bposten står flere ganger i tabellen\b", "the post stands more than once in the table"),
    (r"\bmot summen av (\d+) rader\b", r"against the sum of \1 rows"),
    (r"\bposten mangler i arbeidsboka\b", "the post is missing from the workbook"),
    (r"\bposten står i tabellen i tillegg nr\. (\d+), men mangler på arket\b",
     r"the post is in the table of supplement no. \1 but missing from the sheet"),
    (r"\begen forventning: ", "own expectation: "),
    # notes of a run
    (r"\bbrevet inneholder ingen beløp knyttet til kapittel/post; ingenting i arbeidsboka kontrolleres mot det\b",
     "the letter holds no amount tied to a chapter/post; nothing in the workbook is checked against it"),
    (r"\ber ikke en \.xlsx/\.xlsm: kopien har bare verdiene, uten formatering og formler\b",
     "is not an .xlsx/.xlsm: the copy holds only the values, without formatting and formulas"),
    (r"\bbrevet inneholder ingen beløp knyttet til kapittel/post\b", "the letter holds no amount tied to a chapter/post"),
    (r"\bbeløp uten kapittel/post: ikke brukt\b", "amount without chapter/post: not used"),
    (r"\bbeløpet (.*?) er ikke forstått som en opplysning om en post\b", r"the amount \1 is not understood as a statement about a post"),
    (r"\btabellrad for (\S+) uten beløp\b", r"table row for \1 without an amount"),
    (r"\btillegg nr\. (\d+) finnes to ganger \((.*?) og (.*?)\)", r"supplement no. \1 is there twice (\2 and \3)"),
    # two disagreeing copies of a letter (an English error): its statement kinds by name, not by code
    (r"(?<=, and the two disagree \()(.*)(?=\): give only the right one$)", lambda m: _kinds_said(m[1], "en")),
    # --- issue 15: the reader's notes on sheets skipped, not read, or read by the own reader
    # (workbook/reader.py; workbook/sheet_xml.py's reasons a sheet cannot be read)
    (r"\bpython-calamine kunne ikke åpne arbeidsboka \(", "python-calamine could not open the workbook ("),
    (r"\bpython-calamine kunne ikke lese arket \(", "python-calamine could not read the sheet ("),
    (r"; lest med reconciles egen leser\b", "; read with reconcile's own reader"),
    (r"\bdet er et diagramark, uten tabeller å lese\b", "it is a chart sheet, with no tables to read"),
    (r"\bdet er et dialogark, uten tabeller å lese\b", "it is a dialog sheet, with no tables to read"),
    (r"\bdet er et makroark \(Excel 4-makroer\), uten tabeller å lese\b",
     "it is a macro sheet (Excel 4 macros), with no tables to read"),
    (r"\bdet er et ark uten innhold i pakken, uten tabeller å lese\b",
     "it is a sheet without content in the package, with no tables to read"),
    (r"\bdet er et ark av typen (\S+), uten tabeller å lese\b", r"it is a sheet of the kind \1, with no tables to read"),
    (r"\barket finnes ikke i pakken\b", "the sheet is not in the package"),
    (r"\bXML-en i arket er skadet \(", "the sheet's XML is damaged ("),
    (r"\barket kan ikke pakkes ut \(", "the sheet cannot be unpacked ("),
    (r"\bugyldig cellereferanse «", "invalid cell reference «"),
    (r"\bcellen viser til delt tekst nr\. (.*?), som ikke finnes\b", r"the cell refers to shared text no. \1, which does not exist"),
    (r"\brad (\d+) har beløp uten kapittel/post eller tekst: lest som sumrad\b",  # before 'lest som …' below
     r"row \1 has amounts without chapter/post or text: read as a sum row"),
    (r"(?<=funnet ut fra verdiene) \(overskrift rad ([\d, ]+)\)", r" (header row \1)"),
    # --- end of issue 15's notes
    # --- issue 13: the letters' notes on what is reported, not guessed (letters/extract.py, cell_tables.py,
    # column_rows.py, decision_tables.py, glued_tables.py, pipe_rows.py); the letter's text stands in «…»
    (r"\bteksten slutter i beløpet («.*?»), som er kortere enn tabellens andre beløp: det kan være avkuttet og er "
     r"ikke brukt", r"the text ends in the amount \1, shorter than the table's other amounts: it may be cut off and is "
     r"not used"),
    (r"\bbeløpet («.*?») gjelder flere poster samlet: ikke brukt\b", r"the amount \1 is for several posts jointly: not used"),
    (r"\bbeløpet («.*?») er en del av et beløp som ikke gjelder én post: ikke brukt\b",
     r"the amount \1 is part of an amount that is no single post's: not used"),
    (r"\bbeløpet i («.*?») er limt sammen med andre sifre og kan ikke leses sikkert\b",
     r"the amount in \1 is glued to other digits and cannot be read with certainty"),
    (r"\braden («.*?») har (\d+) tall for (\d+) kolonner: kan ikke plasseres sikkert\b",
     r"the row \1 has \2 figures for \3 columns: cannot be placed with certainty"),
    (r"\braden for post (\S+) har (\d+) tall for (\d+) kolonner: kan ikke plasseres sikkert\b",
     r"the row for post \1 has \2 figures for \3 columns: cannot be placed with certainty"),
    (r"\btabellrad for post (\S+) uten kapittel: ikke brukt\b", r"table row for post \1 without a chapter: not used"),
    (r"\btabellrad (\d+) («.*?») uten kapittel: beløpet er ikke brukt\b",
     r"table row \1 \2 without a chapter: the amount is not used"),
    (r"\btabellrad («.*?») uten kapittel: ikke brukt\b", r"table row \1 without a chapter: not used"),
    (r"\btabellraden («.*?») har ikke kapittel og post som kan leses sikkert\b",
     r"the table row \1 has no chapter and post that can be read with certainty"),
    (r"\btallene i («.*?») er limt sammen og kan ikke deles sikkert\b",
     r"the figures in \1 are glued together and cannot be split with certainty"),
    (r"\btallet («.*?») for (\S+) står i en kolonne tabellhodet ikke nevner\b",
     r"the figure \1 for \2 stands in a column the table header does not name"),
    (r"\btallrad («.*?») uten kapittel/post: ikke brukt\b", r"figure row \1 without chapter/post: not used"),
    # --- end of issue 13's notes
    *_en_roles(),
    # how a column got its role by agreement with the letters (validation/roles.py, --explain-layout)
    (r"\bikke kontrollert: ingen av (\d+) rader stemmer med noe tall i brevene",
     r"not checked: none of \1 rows agrees with any figure in the letters"),
    (r"\bikke kontrollert: stemmer ikke med tallene i brevene \(nærmest: ",
     "not checked: does not agree with the letters' figures (closest: "),
    (r"\b(\d+) av (\d+) rader lik ", r"\1 of \2 rows equal "),
    (r"\bfra overskriften; ingen tall i kolonnen\b", "from the header; no numbers in the column"),
    (r"\bfra overskriften; ", "from the header; "),
    (r"\b(\d+) av (\d+) rader stemmer\b", r"\1 of \2 rows agree"),
    (r"\b1 lik tallet etter tillegg nr\. (\d+)", r"1 equals the figure after supplement no. \1"),
    (r"\b(\d+) lik tallet etter tillegg nr\. (\d+)", r"\1 equal the figure after supplement no. \2"),
    (r"\b(\d+) er ikke et tall\b", r"\1 not a number"),
    (r"\b1 avviker\b", "1 differs"),
    (r"\b(\d+) avviker\b", r"\1 differ"),
    (r"\b(samlet tildeling|årets tildeling|overført fra i fjor|endringen|netto endring)"
     r"( etter tillegg nr\. \d+ \(siste brev\)| etter siste brev| i tillegg nr\. \d+| etter tillegg nr\. \d+)?"
     r" i (kroner|1 000 kr|mill\. kr)\b", lambda m: _en_reading(m[1], m[2] or "", m[3])),
    (r"\bfunnet ut fra innholdet \(nøkkelkolonne og tall; rollene avgjøres av brevene\)",
     "found from the content (key column and figures; the letters decide the roles)"),
    (r"\(ikke oppgitt; tallene avgjør enheten per kolonne\)", "(not stated; the figures decide each column's unit)"),
    (r"; tallene avgjør enheten per kolonne\b", "; the figures decide each column's unit"),
    (r"^  nærmest, ark «", "  closest, sheet «"),
    (r"\bingen posttabell; nærmest: ", "no post table; closest: "),
    (r"\brad (\d+) har kapittel/post, men radene under leses ikke som poster i samme kolonne",
     r"row \1 has chapter/post, but the rows below do not read as posts in the same column"),
    (r"\brad (\d+): kapittel/post i kolonne (.+?), men bare én rad med post",
     r"row \1: chapter/post in column \2, but only one row with a post"),
    (r"\brad (\d+): poster i kolonne (.+?), men ingen kolonne med beløp ved siden av",
     r"row \1: posts in column \2, but no column of amounts beside them"),
    (r"\brad (\d+): poster i kolonne (.+?); tabellen er funnet ut fra verdiene",
     r"row \1: posts in column \2; the table is found from its values"),
    (r"\bkolonne ([A-Z]+) «(.*?)» har tall i (\d+) postrader, men overskriften gir ingen kjent rolle: tallene "
     r"sammenlignes med brevene \(se tolkning\), eller angi rollen i en layoutfil",
     r"column \1 «\2» has numbers in \3 post rows, but its header names no known role: the numbers are compared "
     r"with the letters (see reading), or name its role in a layout file"),
    (r"\bkolonne ([A-Z]+) «(.*?)» \((\w+)\): overskriften sier ikke hvilket tillegg den gjelder; leses som det "
     r"tillegget tallene stemmer med \(se tolkning\), eller angi letter = N i en layoutfil",
     r"column \1 «\2» (\3): the header does not say which letter it is for; read as the letter its figures agree "
     r"with (see reading), or give letter = N in a layout file"),
    # the reader's notes
    (r"\bpost (\S+) står to ganger i tabellen \(rad (\d+) og (\d+)\)", r"post \1 stands twice in the table (rows \2 and \3)"),
    (r"\btabellen \(overskrift rad (\d+)\) oppgir ingen enhet: beløpene leses som hele kroner\b",
     r"the table (header row \1) states no unit: the amounts are read as whole kroner"),
    (r"\bkolonne ([A-Z]+) «(.*?)» har tall i (\d+) postrader, men ingen kjent rolle; angi rollen i en layoutfil",
     r"column \1 «\2» has numbers in \3 post rows but no known role; name its role in a layout file"),
    (r"\barket er hoppet over: ", "sheet skipped: "),
    (r"\blayoutfilen sier skip = true\b", "the layout file says skip = true"),
    (r"\barket er skjult: lest likevel\b", "the sheet is hidden: read anyway"),
    (r"\barket er svært skjult: lest likevel\b", "the sheet is very hidden: read anyway"),
    (r"\bfilnavnet \((.*?)\) sier ikke at dette er (\w+); lest etter innholdet",
     r"the file name (\1) does not say this is \2; read by its content"),
    (r"\buten endelse\b", "no extension"),
    (r"\brad (\d+) har beløp uten kapittel/post eller tekst: lest som sumrad",
     r"row \1 has amounts without chapter/post or text: read as a sum row"),
    (r"\brad (\d+) har beløp, men ingen kapittel/post: ikke lest", r"row \1 has amounts but no chapter/post: not read"),
    (r"\brad (\d+) er ikke lest som post: ", r"row \1 is not read as a post: "),
    (r"\bfant ingen tabell med budsjettposter \(kapittel/post og beløp\) i arbeidsboka; se --explain-layout, eller "
     r"angi oppsettet i en layoutfil", "found no table of budget posts (chapter/post and amounts) in the workbook; see "
     "--explain-layout, or give the layout in a layout file"),
    (r"\bformel uten lagret verdi \(=(.*?)\): arbeidsboka er lagret av et program som ikke regnet ut formlene; "
     r"åpne og lagre den i Excel\. Ikke lest som 0", r"formula without a cached value (=\1): the workbook was saved by "
     r"a program that did not compute its formulas; open and save it in Excel. Not read as 0"),
    (r"\bfeilverdi (\S+) i cellen: ikke lest som beløp", r"error value \1 in the cell: not read as an amount"),
    (r"\bformel \(=(.*?)\) med lagret verdi 0 i en arbeidsbok som ber om omregning ved åpning: verdien er kanskje "
     r"aldri regnet ut; åpne og lagre den i Excel", r"formula (=\1) with cached value 0 in a workbook that asks to be "
     r"recalculated on opening: the value may never have been computed; open and save it in Excel"),
    (r"\brad (\d+) er ikke lest: ", r"row \1 is not read: "),
    (r"(\d+) celle\(r\) utenfor posttabellene har formel uten lagret verdi eller feilverdi \(første: (.*?)\)",
     r"\1 cell(s) outside the post tables hold a formula without a cached value or an error value (first: \2)"),
    (r"\blayoutfilens header_rows \(([\d, ]+)\) gir ingen kolonne for kapittel/post eller passer ikke oppsettet; "
     r"angi rollene i \[sheet\.columns\]", r"the layout file's header_rows (\1) give no chapter/post column or do not fit "
     r"the layout; name the roles in [sheet.columns]"),
    (r"\brad (.*?): tabelloverskrift uten kolonne for kapittel/post, og ingen poster i radene under",
     r"row \1: a table header without a chapter/post column, and no posts in the rows below"),
    (r"\brad (.*?) ser ut som en tabelloverskrift, men passer ikke noe kjent oppsett",
     r"row \1 looks like a table header but fits no known layout"),
    (r"\bkolonne (\S+) har ingen overskrift for kapittel/post; lest som nøkkel ut fra verdiene",
     r"column \1 has no chapter/post header; read as the key from its values"),
    (r"\barknavnet sier brev (\d+), tittelen sier brev (\d+); bruker tittelen",
     r"the sheet name says letter \1, the title says letter \2; the title is used"),
    (r"\btvetydig: kolonnene (.*?) leses begge som (.*?) \(rolle (\w+)\); angi rollene i en layoutfil",
     r"ambiguous: columns \1 are both read as \2 (role \3); name the roles in a layout file"),
    (r"\bkolonne ([A-Z]+) «(.*?)» \((\w+)\): overskriften sier ikke hvilket tillegg den gjelder; angi letter = N i en layoutfil",
     r"column \1 «\2» (\3): the header does not say which letter it is for; give letter = N in a layout file"),
    (r"\brad (\d+): post (\d+) uten kapittel over seg: ikke lest", r"row \1: post \2 without a chapter above it: not read"),
    (r"» sier ikke hvilket brev føringen hører til \(tillegg nr\. eller tildelingsbrev\)",
     "» does not say which letter the entry belongs to (supplement no. or allocation letter)"),
    (r"\btabelloverskrift i rad (\d+), men ingen rader med kapittel/post under",
     r"a table header in row \1 but no chapter/post rows below it"),
    (r": tall med én desimal lest som post med null til slutt \(Excel viser 671\.10 som 671\.1; andre rader i "
     r"kolonnen har tosifret post\)", ": numbers with one decimal read as a post ending in zero (Excel shows 671.10 as "
     "671.1; other rows of the column have two-digit posts)"),
    (r": tvetydig tall med én desimal, lest som post med null til slutt \(671\.1 = 671/10\); mente dere 671/01, "
     r"sett one_decimal_posts = \"units\" i en layoutfil", ": ambiguous numbers with one decimal, read as a post ending "
     r'in zero (671.1 = 671/10); if you meant 671/01, set one_decimal_posts = "units" in a layout file'),
    (r"\b(\w+) har ingen celler å lese", r"\1 has no cells to read"),
    (r"\bbrukt område (\S+) er ([\d ]+) celler, for mye å lese \(en verdi langt ute i arket\?\)",
     r"the used range \1 is \2 cells, too many to read (a value far out in the sheet?)"),
    (r"\bkunne ikke leses \(", "could not be read ("),
    (r"\bkunne ikke se etter formler uten verdi: ", "could not look for formulas without a value: "),
    (r"\bSANN er en sannhetsverdi, ikke et beløp", "TRUE is a truth value, not an amount"),
    (r"\bUSANN er en sannhetsverdi, ikke et beløp", "FALSE is a truth value, not an amount"),
    (r" er en dato eller tid, ikke et beløp", " is a date or time, not an amount"),
    (r" er ikke et beløp", " is not an amount"),
    (r"\(kolonne «", "(column «"),
    (r"\bfikk navnet\b", "was named"),
    (r"\ben kommentert kopi skrevet av reconcile: ikke kontrollert \(oppgi den alene for å kontrollere den\)",
     "an annotated copy written by reconcile: not checked (name it alone to check it)"),
    # --explain-layout (one line at a time)
    (r"^Arbeidsbok: ", "Workbook: "), (r"^Ark:$", "Sheets:"), (r"^Layoutfil: ", "Layout file: "),
    (r"»: synlig, ", "»: visible, "), (r"»: svært skjult, ", "»: very hidden, "), (r"»: skjult, ", "»: hidden, "),
    (r" \(skjult ark\)", " (hidden sheet)"),
    (r"(\d+) rader × (\d+) kolonner, ", r"\1 rows × \2 columns, "),
    (r"\b1 posttabell$", "1 post table"), (r"(\d+) posttabeller$", r"\1 post tables"),
    (r", ikke lest: ", ", not read: "),
    (r"^Tabell (\d+): ark «", r"Table \1: sheet «"),
    (r", overskrift rad ([\d–, ]+), data rad (\d+)–(\d+), oppsett ", r", header row \1, data rows \2–\3, layout "),
    (r"\boversikt \(én rad per post, én kolonne per brev\)", "overview (a row per post, a column per letter)"),
    (r"\bark per brev\b", "a sheet per letter"), (r"\btransaksjonsliste\b", "transaction list"),
    (r"^  enhet: ", "  unit: "), (r"\benhet ", "unit "), (r"\boppgitt i ([A-Z]+\d+)\b", r"stated in \1"),  # a cell
    (r"\bikke oppgitt, antatt\b", "not stated, assumed"), (r"\bfra layoutfil\b", "from the layout file"),
    (r"\but fra verdiene\b", "from the values"),
    (r"^  kolonner:$", "  columns:"),
    (r"^  kolonner \(rolle, og rollens navn i en layoutfil\):$", "  columns (role, and the role's name in a layout file):"), (r"\(ingen overskrift\)", "(no header)"),
    (r"^  postrader: ", "  post rows: "), (r"\((\d+) i alt\)", r"(\1 in all)"),
    (r"^  sumrader: ingen$", "  sum rows: none"), (r"^  sumrader: ", "  sum rows: "),
    (r"\brad (\d+) \(uten tekst\)", r"row \1 (no text)"), (r"\brad (\d+) «", r"row \1 «"),
    (r"^Ingen posttabeller funnet\.$", "No post tables found."),
    (r"^Merknader: ingen$", "Notes: none"), (r"^Merknader \((\d+)\):$", r"Notes (\1):"),
    (r"^  advarsel ", "  warning "), (r"^  merk ", "  note "), (r"^  FEIL ", "  ERROR "),
    (r"^  arbeidsboka: ", "  the workbook: "),
    # the letters' audit and the ledger's basis
    (r"\bstemmer bare innenfor avrundingen \(avvik " + _N + r", toleranse ±" + _N + r"\)",
     r"agrees only within the rounding (difference \1, tolerance ±\2)"),
    (r"\bstemmer ikke \(avvik " + _N + r", utover avrundingen ±" + _N + r"\)",
     r"does not agree (difference \1, beyond the rounding ±\2)"),
    (r": stemmer$", ": agrees"),
    (r"; med summen av delbeløpene \(" + _N + r"\) blir det ", r"; with the sum of the parts (\1) it is "),
    (r"; regnet med delbeløpene i tillegg nr\. (\d+) blir det ", r"; computed with the parts in supplement no. \1 it is "),
    (r"\bsamlet endring " + _N + r" mot summen av (\d+) delbeløp ", r"total change \1 against the sum of \2 parts "),
    (r"\bbeløpet " + _N + r" mot summen av (\d+) delbeløp ", r"the amount \1 against the sum of \2 parts "),
    (r"\bkorrigert beløp " + _N + r" mot tidligere ", r"corrected amount \1 against earlier "),
    (r"\bvedtatt " + _N + r" mot endringen på posten " + _N + r" i samme brev",
     r"enacted \1 against the change on the post \2 in the same letter"),
    (r"\bvedtatt " + _N + r" i tillegg nr\. (\d+) mot foreslått " + _N + r" i tillegg nr\. (\d+) \(oppdrag (.*?)\)",
     r"enacted \1 in supplement no. \2 against proposed \3 in supplement no. \4 (assignment \5)"),
    (r"\bforslaget om " + _N + r" \(tillegg nr\. (\d+)\) er ikke bekreftet vedtatt i et senere brev, og er ikke regnet med",
     r"the proposal of \1 (supplement no. \2) is not confirmed as enacted by a later letter, and is not counted"),
    (r"\boverført " + _N + r" mot grensen ([\d,.]+) pst\. av ", r"carried over \1 against the limit of \2 per cent of "),
    (r": innenfor$", ": within"), (r": ved grensen$", ": at the limit"), (r": over grensen$", ": over the limit"),
    (r"\b(tabell|tekst|korreksjon), l\. (\d+)", lambda m: f"{_EN_WHERE[m[1]]}, line {m[2]}"),
    (r"\) mot (?=" + _N + r" \()", ") against "),  # '… (table, line 209) mot 210 060 000 (correction, …'
    (r"\btillegg nr\. (\d+) erstatter summene i tillegg nr\. (\d+)", r"supplement no. \1 replaces the sums in supplement no. \2"),
    (r"\btallet er samlet tildeling inkl\. overført fra i fjor " + _N,
     r"the figure is the total allocation incl. carried over from last year \1"),
    (r"\boverført fra i fjor " + _N, r"carried over from last year \1"),
    (r"\bendring " + _N + r" i tillegg nr\. (\d+)", r"change \1 in supplement no. \2"),
    (r"\btallet er årets tildeling, uten overført fra i fjor\b", "the figure is this year's allocation, without carry-over"),
    (r"\bsamlet bevilgning oppgitt\b", "total appropriation stated"),
    (r"\bkorrigert bevilgning\b", "corrected appropriation"),
    (r"\boppgitt beløp\b", "stated amount"),
    (r"\btabell i tillegg nr\. (\d+)", r"table in supplement no. \1"),
    (r" i tillegg nr\. (\d+) mot ", r" in supplement no. \1 against "),
    (r"\(etter tillegg nr\. (\d+)\)", r"(after supplement no. \1)"),
    (r" \+ overført ", " + carried over "),
    (r"\b(?<!«)etter tillegg nr\. (\d+)", r"after supplement no. \1"),
    (r"\bi tillegg nr\. (\d+)", r"in supplement no. \1"),
    (r"\b[Tt]illegg nr\. (\d+)", r"supplement no. \1"),
    (r"\bbrev (\d+)\b", r"letter \1"),
    # last, once every phrase naming a letter has matched: letter 0 is the allocation letter, no supplement
    (r"\bSupplement no\. 0\b", "The allocation letter"), (r"\bsupplement no\. 0\b", "the allocation letter"),
]

_EN_WHERE = {"tabell": "table", "tekst": "text", "korreksjon": "correction"}

_QUOTED = re.compile(r"«[^»]*»")


@lru_cache(maxsize=2)
def _compiled(lang: str) -> tuple[tuple[re.Pattern, object], ...]:
    table = TO_EN if lang == "en" else TO_NB
    # An error may quote another ('cannot read the previous annotated copy: refused: part …'), so a
    # message's phrases are found anywhere in the text, not only at its start.
    return tuple((re.compile(pattern.removeprefix("^") if lang != "en" else pattern), replacement)
                 for pattern, replacement in table)


@lru_cache(maxsize=8192)  # the same note or detail recurs on many cells
def in_language(text: str, lang: str) -> str:
    """`text` in `lang` as far as the phrase table knows it; quoted text («…») stays as it is."""
    if not text:
        return text
    pieces = []
    last = 0
    for quote in _QUOTED.finditer(text):
        pieces.append((text[last:quote.start()], True))
        pieces.append((quote.group(), False))
        last = quote.end()
    pieces.append((text[last:], True))
    if len(pieces) > 1:
        # A phrase may span a quote ('header «X» on sheet «Y»'): translate with placeholders.
        marked = "".join(piece if plain else f"«\x00{index}\x00»" for index, (piece, plain) in enumerate(pieces))
        return re.sub(r"«\x00(\d+)\x00»", lambda m: pieces[int(m[1])][0], _apply(marked, lang))
    return _apply(text, lang)


def _apply(text: str, lang: str) -> str:
    for pattern, replacement in _compiled(lang):
        text = pattern.sub(replacement, text)
    return text
