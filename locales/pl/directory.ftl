# Organisation profiles: validation, moderation, yearly confirmation.

error-org-name-required = Podaj nazwę organizacji.
error-org-name-length = Nazwa musi mieć od 3 do 200 znaków.
error-org-description-required = Napisz krótki opis organizacji.
error-org-description-short = Opis jest za krótki – napisz co najmniej 40 znaków: czym się zajmujecie, dla kogo i gdzie.
error-org-description-long = Opis może mieć najwyżej 600 znaków.
error-org-legal-form = Wybierz formę prawną z listy.
error-krs = Numer KRS to do 10 cyfr bez spacji, np. 0000123456.
error-opp-needs-krs = Status OPP mają tylko organizacje wpisane do KRS – podaj numer KRS.
error-nip = Ten NIP jest niepoprawny (10 cyfr, suma kontrolna się nie zgadza).
error-regon = Ten REGON jest niepoprawny (9 lub 14 cyfr, suma kontrolna się nie zgadza).
error-org-email-required = Podaj adres e-mail do kontaktu z organizacją.
error-phone = Podaj numer telefonu, np. 600 100 200 lub +48 12 345 67 89.
error-url = Podaj adres strony, np. https://www.fundacja.pl.
error-url-list = Każdy link musi być adresem strony, np. https://facebook.com/nazwa.
error-social-too-many = Podaj najwyżej 5 linków.
error-street-required = Podaj ulicę i numer.
error-city-required = Podaj miejscowość.
error-postal-code = Podaj kod pocztowy w formacie 00-000.
error-sphere-unknown = Wybierz sfery z listy.
error-spheres-too-many = Wybierz najwyżej 3 wiodące sfery działalności.
error-spheres-required = Wybierz co najmniej jedną wiodącą sferę działalności.
error-group-unknown = Wybierz grupy z listy.
error-contacts-too-many = Podaj najwyżej 3 osoby do kontaktu.
error-contact-name = Podaj imię i nazwisko osoby do kontaktu.
error-logo-alt = Opisz logo dla osób niewidomych (tekst alternatywny), np. „Logo: zielony liść i napis Łąka”.

mail-moderation-new-subject = Do moderacji: { $title }
mail-moderation-new-body = W kolejce moderacji czeka nowe zgłoszenie: „{ $title }”.
mail-moderation-new-action = Otwórz zgłoszenie
mail-moderation-decision-subject = Profil organizacji „{ $organization }” – decyzja moderatora
mail-profile-approved = Profil organizacji „{ $organization }” został zatwierdzony i jest widoczny w bazie organizacji.
mail-profile-changes = Moderator prosi o poprawki w profilu organizacji „{ $organization }”. Popraw formularz i wyślij go ponownie.
mail-profile-rejected = Zgłoszenie profilu organizacji „{ $organization }” nie zostało przyjęte.
mail-claim-approved = Potwierdziliśmy, że reprezentujesz organizację „{ $organization }”. Możesz teraz redagować jej profil i zapraszać inne osoby.
mail-claim-rejected = Nie mogliśmy potwierdzić, że reprezentujesz organizację „{ $organization }”.
mail-moderation-comment = Komentarz moderatora: { $comment }
mail-moderation-decision-action = Przejdź do panelu
mail-org-confirm-subject = Czy dane organizacji „{ $organization }” są aktualne?
mail-org-confirm-body = Raz w roku prosimy organizacje o potwierdzenie, że ich profil w bazie organizacji i adres e-mail do kontaktu są aktualne. Jeśli dane „{ $organization }” się nie zmieniły, wystarczy jedno kliknięcie.
mail-org-confirm-edit = Jeśli coś się zmieniło, popraw profil w panelu: { $link }
mail-org-confirm-action = Potwierdzam, dane są aktualne
error-text-too-long = Ten tekst jest za długi.

profile-register-title = Zarejestruj organizację
profile-edit-title = Profil organizacji: { $name }
profile-lead = Profil zobaczą mieszkańcy, urząd i inne organizacje w bazie organizacji. Każda zmiana trafia do moderatora w urzędzie, zanim pojawi się na stronie.
profile-section-basic = Podstawowe informacje
profile-name = Pełna nazwa organizacji
profile-name-hint = Tak jak w KRS lub statucie, np. Stowarzyszenie Przyjaciół Zatorza.
profile-description = Krótki opis
profile-description-hint = 2–4 zdania (40–600 znaków). Dobry opis:
profile-description-tip-what = mówi, co robicie – konkretnie, np. „prowadzimy bezpłatne korepetycje z matematyki”;
profile-description-tip-who = mówi, dla kogo i gdzie działacie, np. „dla uczniów szkół podstawowych z Zatorza”;
profile-description-tip-plain = jest napisany prostym językiem, bez skrótów i haseł, które zna tylko wasza organizacja.
profile-choose = – wybierz –
profile-krs = Numer KRS
profile-krs-hint = Jeśli organizacja jest w Krajowym Rejestrze Sądowym; 10 cyfr, np. 0000123456.
profile-nip-hint = 10 cyfr, np. 123-456-32-18. Sprawdzamy sumę kontrolną.
profile-regon-hint = 9 lub 14 cyfr. Sprawdzamy sumę kontrolną.
profile-opp = Organizacja pożytku publicznego (może otrzymywać 1,5% podatku)
profile-section-leading = Wiodące sfery działalności
profile-leading-hint = Wybierz od 1 do 3 sfer pożytku publicznego, w których działacie najwięcej (art. 4 ustawy o działalności pożytku publicznego).
profile-section-other = Pozostałe sfery działalności
profile-section-contact = Kontakt i adres
org-field-email = Adres e-mail organizacji
profile-email-hint = Na ten adres urząd wysyła zaproszenia, informacje o konkursach i raz w roku prośbę o potwierdzenie danych.
profile-website-hint = Np. https://www.nasza-fundacja.pl
profile-social = Media społecznościowe
profile-social-hint = Linki do profili (Facebook, Instagram, YouTube…), każdy w osobnym wierszu, najwyżej 5.
profile-street = Ulica i numer
profile-district-hint = Dzielnica lub osiedle, w którym działacie najczęściej (pomaga w wyszukiwaniu).
profile-section-people = Osoby do kontaktu
profile-people-hint = Możesz podać do 3 osób. Dane osób kontaktowych będą publiczne – podaj je tylko za ich zgodą.
profile-person = Osoba { $count }
profile-person-name = Imię i nazwisko
profile-person-role = Funkcja, np. prezes zarządu, koordynatorka wolontariatu
profile-section-logo = Logo
profile-logo = Plik z logo
profile-logo-hint = PNG, JPG, WebP lub GIF, najwyżej 1 MB.
profile-logo-alt = Opis logo (tekst alternatywny)
profile-logo-alt-hint = Wymagany, gdy jest logo: co widać na logo, dla osób korzystających z czytników ekranu.
profile-logo-remove = Usuń obecne logo
profile-moderation-note = Po wysłaniu profil trafi do moderatora. O decyzji powiadomimy Cię e-mailem.
profile-submit-new = Wyślij do moderacji
profile-submit = Wyślij zmiany do moderacji
profile-pending-notice = Twoje poprzednie zmiany czekają na moderację. Jeśli wyślesz formularz ponownie, zastąpią je nowe.
profile-changes-notice = Moderator prosi o poprawki: { $comment }
error-org-exists = Organizacja o tym numerze jest już w bazie: „{ $name }”. Zamiast rejestrować ją ponownie, zgłoś, że ją reprezentujesz (link „Reprezentujesz tę organizację?” na jej stronie).
error-logo-too-large = Plik z logo jest za duży (najwyżej 1 MB).
error-logo-type = Logo musi być obrazem PNG, JPG, WebP lub GIF.

claim-title = Reprezentuję organizację: { $name }
claim-lead = Jeśli działasz w tej organizacji, zgłoś to – moderator w urzędzie sprawdzi zgłoszenie i nada Ci prawo redagowania profilu.
claim-role = Twoja funkcja w organizacji
claim-role-hint = Np. członkini zarządu, koordynator projektów.
claim-message = Wiadomość dla moderatora (nieobowiązkowa)
claim-message-hint = Np. jak możemy potwierdzić, że reprezentujesz organizację.
claim-submit = Wyślij zgłoszenie
claim-pending = Twoje zgłoszenie czeka na decyzję moderatora.
error-claim-role = Podaj swoją funkcję w organizacji.
error-claim-already-owner = Jesteś już właścicielem profilu tej organizacji.

history-title = Historia wersji: { $name }
history-link = Historia wersji
history-none = Profil nie ma jeszcze wersji zgłoszonych przez serwis.
history-version = Wersja
history-kind = Rodzaj
history-submitted = Zgłoszono
history-status = Stan
history-comment = Komentarz
revision-kind-create = Rejestracja
revision-kind-update = Zmiana profilu
revision-kind-claim = Zgłoszenie reprezentanta
revision-status-pending = czeka na moderację
revision-status-approved = zatwierdzona
revision-status-rejected = odrzucona
revision-status-changes_requested = do poprawy
revision-status-superseded = zastąpiona nowszą

moderation-title = Moderacja
moderation-lead = Zgłoszenia czekające na decyzję, od najstarszego. Organizacja dostaje e-mail z decyzją i komentarzem.
moderation-empty = Nic nie czeka na moderację.
moderation-count = { $count ->
    [one] { $count } zgłoszenie czeka na decyzję
    [few] { $count } zgłoszenia czekają na decyzję
   *[many] { $count } zgłoszeń czeka na decyzję
}
moderation-subject = Dotyczy
moderation-by = Zgłosił(a)
moderation-item-title = Zgłoszenie
moderation-public-page = Strona w bazie
moderation-claim = Zgłoszenie reprezentanta
moderation-diff = Porównanie: obecna wersja i zgłoszona
moderation-changed-count = { $count ->
    [one] Zmieniono { $count } pole.
    [few] Zmieniono { $count } pola.
   *[many] Zmieniono { $count } pól.
}
moderation-field = Pole
moderation-before = Obecnie
moderation-after = Po zmianie
moderation-changed = zmienione
moderation-removed = usunięto:
moderation-added = dodano:
moderation-decision = Decyzja
moderation-approve = Zatwierdź i opublikuj
moderation-request-changes = Poproś o poprawki
moderation-reject = Odrzuć
moderation-comment = Komentarz dla organizacji
moderation-comment-hint = Wymagany, gdy prosisz o poprawki lub odrzucasz zgłoszenie. Organizacja otrzyma go e-mailem.
moderation-submit = Zapisz decyzję
moderation-already = To zgłoszenie zostało już rozpatrzone.
error-decision-required = Wybierz decyzję.
error-comment-required = Napisz komentarz – organizacja musi wiedzieć, co poprawić lub dlaczego odrzucono zgłoszenie.
error-already-decided = Ktoś już rozpatrzył to zgłoszenie.
flash-moderation-approved = Zatwierdzono. Organizacja dostanie e-mail.
flash-moderation-changes = Wysłano prośbę o poprawki.
flash-moderation-rejected = Odrzucono zgłoszenie. Organizacja dostanie e-mail.
flash-profile-submitted = Wysłano do moderacji. Powiadomimy Cię e-mailem o decyzji.
flash-profile-unchanged = Nic się nie zmieniło – profil pozostaje bez zmian.
flash-claim-submitted = Zgłoszenie wysłane do moderatora.
flash-profile-confirmed = Dziękujemy! Dane organizacji są potwierdzone jako aktualne.
flash-saved = Zapisano.

my-orgs-claim-hint = Twojej organizacji nie ma na liście, ale jest w bazie organizacji? Otwórz jej stronę i wybierz „Reprezentujesz tę organizację?”.
my-orgs-status = Stan profilu
my-orgs-members = Osoby redagujące profil
org-status-pending = czeka na pierwszą moderację (niewidoczny publicznie)
org-status-published = opublikowany
org-status-published-pending = opublikowany, zmiany czekają na moderację
org-status-rejected = odrzucony
org-edit-profile = Edytuj profil
org-stale = Dane tej organizacji mogą być nieaktualne – ostatnio potwierdzono je { $date }.
org-updated = Ostatnia zmiana profilu: { $date }
org-confirmed = dane potwierdzone: { $date }
org-claim-link = Reprezentujesz tę organizację?
org-claim-signin = Zaloguj się, jeśli działasz w tej organizacji.

confirm-profile-title = Potwierdzenie danych organizacji
confirm-profile-lead = Potwierdź, że profil organizacji „{ $name }” i adres e-mail do kontaktu są aktualne.
confirm-profile-page = Profil w bazie
confirm-profile-changed = Coś się zmieniło?
confirm-profile-edit = Popraw profil w panelu

directory-status-title = Aktualność danych organizacji
directory-status-lead = Organizacje, które nie potwierdziły danych po corocznej prośbie, adresy, na które poczta nie dochodzi, i profile dawno niepotwierdzone.
directory-status-filter = Filtr stanu
directory-status-all = Wszystkie
directory-status-niepotwierdzone = Czeka na potwierdzenie
directory-status-odbijajace = Adres nie działa
directory-status-nieaktualne = Może być nieaktualny
directory-status-confirmed = Ostatnio potwierdzone
directory-status-requested = Prośba wysłana
directory-status-flags = Oznaczenia
directory-status-actions = Działania
directory-status-mark = Oznacz adres jako niedziałający
directory-status-unmark = Usuń oznaczenie adresu
directory-status-send = Wyślij prośbę o potwierdzenie
flash-confirmation-sent = Wysłano prośbę o potwierdzenie danych.
flash-confirmation-no-email = Organizacja nie ma adresu e-mail – nie wysłano prośby.
table-scroll = Tabela (można przewijać w poziomie)
org-news = Aktualności organizacji

# Panel home page counts (issue 16)
panel-count-confirmation-due = { $count ->
    [one] { $count } organizacja czeka na potwierdzenie danych
    [few] { $count } organizacje czekają na potwierdzenie danych
   *[many] { $count } organizacji czeka na potwierdzenie danych
}
panel-count-stale = { $count ->
    [one] { $count } profil może być nieaktualny
    [few] { $count } profile mogą być nieaktualne
   *[many] { $count } profili może być nieaktualnych
}
link-next-org-profile = Logowanie i poprawienie danych organizacji w panelu
organizations-none-found = Nie znaleziono organizacji spełniających te warunki.
organizations-none-yet = W katalogu nie ma jeszcze organizacji.
directory-status-none = Nie znaleziono organizacji w tym stanie.
directory-status-none-yet = W katalogu nie ma jeszcze organizacji.
