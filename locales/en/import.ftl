# CSV import of organisations (admin panel and `wspolnie import organizations`).

import-title = Import organisations from a CSV file
import-lead = Upload a spreadsheet with organisations' data, e.g. the office's existing list. The whole file is checked first: if any line has an error, nothing is saved and you get a list of errors to correct.
import-file-label = CSV file
import-file-hint = UTF-8 encoding, columns separated by semicolons or commas, the first line is a header with column names. At most 5 MB.
import-submit = Check and import
import-sample = Download a sample CSV file
import-columns-title = Columns of the file
import-columns-caption = Columns the file may contain (letter case in the header does not matter)
import-column = Column
import-column-meaning = Meaning
import-required = required
import-col-nazwa = Full name of the organisation.
import-col-forma-prawna = Legal form: stowarzyszenie, stowarzyszenie-zwykle, fundacja, klub-sportowy or other; Polish names such as “Stowarzyszenie zwykłe” or “Klub sportowy” work too.
import-col-krs = KRS number (up to 10 digits).
import-col-nip = NIP tax number (10 digits, checksum verified).
import-col-regon = REGON number (9 or 14 digits).
import-col-opp = Public benefit status: tak (yes) or nie (no); empty means no. OPP requires a KRS number.
import-col-email = Contact e-mail address of the organisation (required).
import-col-telefon = Phone number.
import-col-www = Website address.
import-col-ulica = Street and number (required).
import-col-kod-pocztowy = Postal code as 00-000 (required).
import-col-miejscowosc = Town (required).
import-col-dzielnica = District or neighbourhood.
import-col-sfery = Codes of areas of activity separated by | or commas, e.g. 16|5. The first three are leading areas, the rest are other areas.
import-col-grupy = Codes of target groups separated by | or commas, e.g. dzieci|seniorzy.
import-col-opis = Short description (at most 600 characters).
import-codes-spheres = Codes of areas of activity
import-codes-groups = Codes of target groups
import-done = { $count ->
    [one] Imported { $count } organisation.
   *[other] Imported { $count } organisations.
}
import-failed-title = No organisation was imported
import-failed-lead = { $count ->
    [one] The file has { $count } error. Correct it and upload the file again – nothing is saved while the file has errors.
   *[other] The file has { $count } errors. Correct them and upload the file again – nothing is saved while the file has errors.
}
import-errors-caption = Errors in the file
import-errors-line = Line
import-errors-column = Column
import-errors-message = Problem
import-cli-error = Line { $line }, column “{ $column }”: { $message }
import-cli-file-error = File: { $message }
import-cli-dry-run = The file is valid: { $count } organisations to import (dry run – nothing saved).
import-error-file-required = Choose a CSV file to upload.
import-error-too-large = The file is too large – at most 5 MB. Split it into smaller parts.
import-error-encoding = The file is not UTF-8 encoded. In your spreadsheet choose “Save as” and the “CSV UTF-8” format.
import-error-quote = A quotation mark opened on this line is never closed.
import-error-empty = The file is empty.
import-error-no-rows = The file has only a header – no lines with organisations.
import-error-unknown-column = Unknown column in the header. Allowed columns: nazwa, forma_prawna, krs, nip, regon, opp, email, telefon, www, ulica, kod_pocztowy, miejscowosc, dzielnica, sfery, grupy, opis.
import-error-empty-column = The header has a column without a name.
import-error-duplicate-column = This column appears twice in the header.
import-error-missing-name-column = The required column “nazwa” (name) is missing from the header (the first line of the file).
import-error-too-many-fields = This line has more fields than the header – check the separators and quotation marks.
import-error-opp = Write “tak” (yes) or “nie” (no).
import-error-too-long = The value is too long for this column.
import-error-line-break = This column takes one line, without line breaks.
import-error-legal-form = Unknown legal form. Use: stowarzyszenie, stowarzyszenie-zwykle, fundacja, klub-sportowy or other.
import-error-sphere = Unknown area of activity code (the codes are listed on the import page).
import-error-spheres-too-many = Give at most 3 leading areas of activity.
import-error-group = Unknown target group code (the codes are listed on the import page).
import-error-duplicate-in-file = The same value appears on an earlier line of the file.
import-error-duplicate-existing = An organisation with this number is already in the directory.
import-errors-shown = Showing { $shown } of { $total } errors.
import-errors-download = Download all errors (CSV)
