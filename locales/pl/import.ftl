# CSV import of organisations (admin panel and `wspolnie import organizations`).

import-title = Import organizacji z pliku CSV
import-lead = Wczytaj arkusz z danymi organizacji, np. dotychczasową bazę urzędu. Najpierw sprawdzamy cały plik: jeśli choć jeden wiersz ma błąd, nie zapisujemy niczego i pokazujemy listę błędów do poprawienia.
import-file-label = Plik CSV
import-file-hint = Kodowanie UTF-8, kolumny rozdzielone średnikiem lub przecinkiem, pierwszy wiersz to nagłówek z nazwami kolumn. Najwyżej 5 MB.
import-submit = Sprawdź i zaimportuj
import-sample = Pobierz przykładowy plik CSV
import-columns-title = Kolumny pliku
import-columns-caption = Kolumny, które może zawierać plik (wielkość liter w nagłówku nie ma znaczenia)
import-column = Kolumna
import-column-meaning = Znaczenie
import-required = wymagana
import-col-nazwa = Pełna nazwa organizacji.
import-col-forma-prawna = Forma prawna: stowarzyszenie, stowarzyszenie-zwykle, fundacja, klub-sportowy lub other; można też wpisać nazwę, np. „Stowarzyszenie zwykłe”, „Klub sportowy”.
import-col-krs = Numer KRS (do 10 cyfr).
import-col-nip = NIP (10 cyfr, sprawdzamy sumę kontrolną).
import-col-regon = REGON (9 lub 14 cyfr).
import-col-opp = Status organizacji pożytku publicznego: tak lub nie (puste pole oznacza nie). OPP wymaga numeru KRS.
import-col-email = Adres e-mail do kontaktu z organizacją (wymagany).
import-col-telefon = Numer telefonu.
import-col-www = Adres strony internetowej.
import-col-ulica = Ulica i numer (wymagane).
import-col-kod-pocztowy = Kod pocztowy w formacie 00-000 (wymagany).
import-col-miejscowosc = Miejscowość (wymagana).
import-col-dzielnica = Dzielnica lub osiedle.
import-col-sfery = Kody sfer działalności rozdzielone znakiem | lub przecinkiem, np. 16|5. Pierwsze trzy to sfery wiodące, kolejne – pozostałe.
import-col-grupy = Kody grup odbiorców rozdzielone znakiem | lub przecinkiem, np. dzieci|seniorzy.
import-col-opis = Krótki opis działalności (najwyżej 600 znaków).
import-codes-spheres = Kody sfer działalności
import-codes-groups = Kody grup odbiorców
import-done = { $count ->
    [one] Zaimportowano { $count } organizację.
    [few] Zaimportowano { $count } organizacje.
   *[many] Zaimportowano { $count } organizacji.
}
import-failed-title = Nie zaimportowano żadnej organizacji
import-failed-lead = { $count ->
    [one] Plik zawiera { $count } błąd. Popraw go i wczytaj plik ponownie – dopóki w pliku są błędy, nic nie zapisujemy.
    [few] Plik zawiera { $count } błędy. Popraw je i wczytaj plik ponownie – dopóki w pliku są błędy, nic nie zapisujemy.
   *[many] Plik zawiera { $count } błędów. Popraw je i wczytaj plik ponownie – dopóki w pliku są błędy, nic nie zapisujemy.
}
import-errors-caption = Błędy w pliku
import-errors-line = Wiersz
import-errors-column = Kolumna
import-errors-message = Problem
import-cli-error = Wiersz { $line }, kolumna „{ $column }”: { $message }
import-cli-file-error = Plik: { $message }
import-cli-dry-run = Plik jest poprawny: { $count } organizacji do zaimportowania (próba – nic nie zapisano).
import-error-file-required = Wybierz plik CSV do wczytania.
import-error-too-large = Plik jest za duży – najwyżej 5 MB. Podziel go na mniejsze części.
import-error-encoding = Plik nie jest zapisany w kodowaniu UTF-8. W arkuszu wybierz „Zapisz jako” i format „CSV UTF-8”.
import-error-quote = Cudzysłów otwarty w tym wierszu nie został zamknięty.
import-error-empty = Plik jest pusty.
import-error-no-rows = Plik zawiera tylko nagłówek – brak wierszy z organizacjami.
import-error-unknown-column = Nieznana kolumna w nagłówku. Dozwolone kolumny: nazwa, forma_prawna, krs, nip, regon, opp, email, telefon, www, ulica, kod_pocztowy, miejscowosc, dzielnica, sfery, grupy, opis.
import-error-empty-column = Nagłówek zawiera kolumnę bez nazwy.
import-error-duplicate-column = Ta kolumna występuje w nagłówku dwa razy.
import-error-missing-name-column = Brak wymaganej kolumny „nazwa” w nagłówku (pierwszy wiersz pliku).
import-error-too-many-fields = Ten wiersz ma więcej pól niż nagłówek – sprawdź separatory i cudzysłowy.
import-error-opp = Wpisz „tak” albo „nie”.
import-error-too-long = Wartość jest za długa dla tej kolumny.
import-error-line-break = Ta kolumna przyjmuje jeden wiersz, bez podziałów wiersza.
import-error-legal-form = Nieznana forma prawna. Wpisz: stowarzyszenie, stowarzyszenie zwykłe, fundacja, klub sportowy albo other.
import-error-sphere = Nieznany kod sfery działalności (listę kodów znajdziesz na stronie importu).
import-error-spheres-too-many = Podaj najwyżej 3 sfery wiodące.
import-error-group = Nieznany kod grupy odbiorców (listę kodów znajdziesz na stronie importu).
import-error-duplicate-in-file = Ta sama wartość występuje we wcześniejszym wierszu pliku.
import-error-duplicate-existing = Organizacja z tym numerem jest już w bazie organizacji.
import-errors-shown = Pokazano { $shown } z { $total } błędów.
import-errors-download = Pobierz wszystkie błędy (CSV)
import-recent-title = Ostatnie importy
import-recent-when = Wczytano
import-recent-file = Plik
import-recent-status = Stan
import-recent-rows = Wiersze
import-status-queued = czeka na rozpoczęcie
import-status-checking = sprawdzanie pliku
import-status-writing = zapisywanie
import-status-done = zakończony
import-status-failed = nie zaimportowano
import-run-title = Import organizacji
import-run-back = Wróć do importu
import-run-working = Import trwa w tle – możesz zamknąć tę stronę, praca nie zostanie przerwana. Organizacje pojawią się w bazie wszystkie naraz, gdy cały plik zostanie zapisany.
import-run-checked = Sprawdzono wiersze: { $done } z { $total }
import-run-written = Zapisano organizacje: { $done } z { $total }
import-run-refresh = Odśwież stan
import-run-see-directory = Zobacz bazę organizacji
import-run-stopped = Importu nie udało się dokończyć, więc niczego z pliku nie zapisaliśmy. Wczytaj plik ponownie; jeśli to się powtórzy, przekaż administratorowi serwera poniższy komunikat.
import-run-again = Wczytaj inny plik
import-error-at-line = Wiersz { $line }: { $message }
