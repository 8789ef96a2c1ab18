//! Information pages of the NGO zone edited by officials (issue 5): `pages` (Markdown in Polish
//! and English) with downloadable guides and templates (`page_files`), the office contacts
//! directory (`office_contacts`, `handles_media` routes promotion requests) and requests for help
//! with media promotion or a media patronage (`media_requests`). Seeds the three pages every city
//! needs: how to use the zone, guides and templates, and the accessibility statement.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pages {
    Table,
    Id,
    Slug,
    TitlePl,
    TitleEn,
    BodyPl,
    BodyEn,
    Position,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PageFiles {
    Table,
    Id,
    PageId,
    FileKey,
    Title,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OfficeContacts {
    Table,
    Id,
    Topic,
    Name,
    Role,
    Department,
    Room,
    Phone,
    Email,
    HandlesMedia,
    Position,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MediaRequests {
    Table,
    Id,
    Kind,
    Organization,
    ContactName,
    Email,
    Phone,
    Title,
    EventDate,
    Description,
    Links,
    Status,
    Note,
    UserId,
    Lang,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Pages::Table)
                .col(big_pk_auto(Pages::Id))
                .col(string_uniq(Pages::Slug))
                .col(string(Pages::TitlePl))
                .col(string(Pages::TitleEn).default(""))
                .col(text(Pages::BodyPl))
                .col(text(Pages::BodyEn).default(""))
                .col(integer(Pages::Position).default(0))
                .col(big_integer_null(Pages::UpdatedBy))
                .col(timestamp_with_time_zone(Pages::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Pages::Table, Pages::UpdatedBy)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PageFiles::Table)
                .col(big_pk_auto(PageFiles::Id))
                .col(big_integer(PageFiles::PageId))
                .col(string(PageFiles::FileKey))
                .col(string(PageFiles::Title))
                .col(integer(PageFiles::Position).default(0))
                .col(timestamp_with_time_zone(PageFiles::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PageFiles::Table, PageFiles::PageId)
                        .to(Pages::Table, Pages::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_page_files_page")
                .table(PageFiles::Table)
                .col(PageFiles::PageId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OfficeContacts::Table)
                .col(big_pk_auto(OfficeContacts::Id))
                .col(string(OfficeContacts::Topic))
                .col(string(OfficeContacts::Name))
                .col(string(OfficeContacts::Role).default(""))
                .col(string(OfficeContacts::Department).default(""))
                .col(string(OfficeContacts::Room).default(""))
                .col(string(OfficeContacts::Phone).default(""))
                .col(string(OfficeContacts::Email).default(""))
                .col(boolean(OfficeContacts::HandlesMedia).default(false))
                .col(integer(OfficeContacts::Position).default(0))
                .col(timestamp_with_time_zone(OfficeContacts::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MediaRequests::Table)
                .col(big_pk_auto(MediaRequests::Id))
                .col(string(MediaRequests::Kind))
                .col(string(MediaRequests::Organization))
                .col(string(MediaRequests::ContactName))
                .col(string(MediaRequests::Email))
                .col(string(MediaRequests::Phone).default(""))
                .col(string(MediaRequests::Title))
                .col(date_null(MediaRequests::EventDate))
                .col(text(MediaRequests::Description))
                .col(text(MediaRequests::Links).default(""))
                .col(string(MediaRequests::Status))
                .col(text(MediaRequests::Note).default(""))
                .col(big_integer_null(MediaRequests::UserId))
                .col(string(MediaRequests::Lang).default("pl"))
                .col(timestamp_with_time_zone(MediaRequests::CreatedAt))
                .col(timestamp_with_time_zone(MediaRequests::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(MediaRequests::Table, MediaRequests::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_media_requests_status")
                .table(MediaRequests::Table)
                .col(MediaRequests::Status)
                .col(MediaRequests::CreatedAt)
                .to_owned(),
        )
        .await?;

        let now = chrono::Utc::now();
        let mut insert = Query::insert();
        insert.into_table(Pages::Table).columns([
            Pages::Slug,
            Pages::TitlePl,
            Pages::TitleEn,
            Pages::BodyPl,
            Pages::BodyEn,
            Pages::Position,
            Pages::UpdatedAt,
        ]);
        for (i, p) in SEED.iter().enumerate() {
            insert.values_panic([
                p.0.into(),
                p.1.into(),
                p.2.into(),
                p.3.into(),
                p.4.into(),
                (i as i32).into(),
                now.into(),
            ]);
        }
        m.exec_stmt(insert).await?;
        Ok(())
    }
}

/// (slug, title pl, title en, body pl, body en). `{office}`, `{email}`, `{phone}`, `{address}`
/// are replaced with the site settings when the page is shown.
const SEED: &[(&str, &str, &str, &str, &str)] = &[
    (
        "jak-korzystac",
        "Jak korzystać z zakładki dla organizacji",
        "How to use the NGO zone",
        HOW_TO_PL,
        HOW_TO_EN,
    ),
    (
        "poradniki",
        "Poradniki i wzory dokumentów",
        "Guides and templates",
        GUIDES_PL,
        GUIDES_EN,
    ),
    (
        "deklaracja-dostepnosci",
        "Deklaracja dostępności",
        "Accessibility statement",
        A11Y_PL,
        A11Y_EN,
    ),
];

const HOW_TO_PL: &str = r#"Zakładka **Organizacje pozarządowe (NGO)** to miejsce, w którym {office} i organizacje z naszego miasta wymieniają informacje. Korzystanie z niej jest bezpłatne.

## Co może zamieścić organizacja

- **Profil w bazie organizacji** – krótki opis działalności, wiodące kierunki (sfery pożytku publicznego), grupy odbiorców, dane kontaktowe i adres strony internetowej.
- **Wydarzenia w kalendarzu** – spotkania, warsztaty, zawody, koncerty, zbiórki; z plakatem (z tekstem alternatywnym), miejscem lub linkiem do transmisji i informacją o zapisach.
- **Aktualności** – informacje o projektach i akcjach, które organizacja prowadzi.
- **Sprawozdania po projekcie** – krótkie podsumowanie ze zdjęciami i załącznikami.

## Jak to zrobić

1. Załóż konto (*Zaloguj się* → *Załóż konto*) i potwierdź adres e-mail.
2. Zgłoś swoją organizację albo przejmij jej profil, jeśli jest już w bazie.
3. W panelu wybierz organizację i dodaj wydarzenie, aktualność lub sprawozdanie, korzystając z formularza.

## Moderacja

Każdy nowy wpis i każda zmiana opublikowanego wpisu trafia najpierw do urzędnika. Sprawdzamy, czy informacja dotyczy działalności pożytku publicznego i czy jest kompletna – zwykle w ciągu 3 dni roboczych. O decyzji (publikacja, prośba o poprawki albo odrzucenie z uzasadnieniem) informujemy e-mailem. Do czasu akceptacji zmian na stronie widać poprzednią, zatwierdzoną wersję.

## Kalendarz

Kalendarz pokazuje nadchodzące wydarzenia organizacji i miasta. Można je filtrować według sfery, kategorii, grupy odbiorców i dat. Wydarzenia cykliczne (co tydzień, co miesiąc) widać przy każdym terminie.

Kalendarz można **zasubskrybować** w programie pocztowym lub telefonie (Google, Outlook, Apple): skopiuj adres `/kalendarz.ics` z tej strony (pełny adres zaczyna się od adresu serwisu) i dodaj go jako kalendarz internetowy. Każda organizacja ma też własny kanał: `/organizacje/nazwa-organizacji/kalendarz.ics`.

## Kontakt

W sprawie korzystania z zakładki pisz na adres {email} lub dzwoń: {phone}. Wykaz osób odpowiedzialnych za poszczególne sprawy znajdziesz na stronie [Kontakt](/kontakt). Pomoc w promocji w mediach możesz zamówić przez [formularz](/wspolpraca/promocja).
"#;

const HOW_TO_EN: &str = r#"The **NGO zone** is where {office} and the organisations of our town share information. Using it is free of charge.

## What an organisation may publish

- **A profile in the directory** – a short description, main fields of activity, target groups, contact details and a link to the website.
- **Events in the calendar** – meetings, workshops, competitions, concerts, collections; with a poster (with alternative text), a place or an online link and registration details.
- **News** – information about the organisation's projects and campaigns.
- **Post-project reports** – a short summary with photos and attachments.

## How

1. Create an account (*Sign in* → *Create an account*) and confirm your e-mail address.
2. Register your organisation, or claim its profile if it is already in the directory.
3. In your panel choose the organisation and add an event, news or a report using the form.

## Moderation

Every new entry and every change to a published one is first checked by an official – whether it concerns public-benefit activity and is complete – usually within 3 working days. We tell you the decision (published, changes requested, or rejected with a reason) by e-mail. Until a change is accepted, the page shows the previous approved version.

## Calendar

The calendar shows upcoming events of organisations and the town, with filters by field, category, target group and dates. Recurring events (weekly, monthly) are shown at every date.

You can **subscribe** to the calendar in your mail program or phone (Google, Outlook, Apple): copy the address `/kalendarz.ics` from this site (the full address starts with the site's address) and add it as an internet calendar. Each organisation also has its own feed: `/organizacje/organisation-name/kalendarz.ics`.

## Contact

For help with the zone write to {email} or call {phone}. The people responsible for each matter are listed on the [Contact](/kontakt) page. Ask for help with media promotion using the [form](/wspolpraca/promocja).
"#;

const GUIDES_PL: &str = r#"Przygotowaliśmy wskazówki i wzory, które pomogą organizacjom mówić o swojej pracy. Pliki do pobrania znajdziesz poniżej.

## Krótka informacja o projekcie lub wydarzeniu

- Zacznij od najważniejszego: **co, kiedy, gdzie, dla kogo**.
- Pierwsze zdanie powinno zachęcić – napisz, co zyska uczestnik.
- Pisz prostym językiem, krótkimi zdaniami; unikaj skrótów.
- Dodaj kontakt i informację o zapisach; przy plakacie – tekst alternatywny (co jest na obrazku).
- Wystarczy 600–1000 znaków.

## Nota prasowa

- Tytuł (do 10 słów) i lead – 2–3 zdania odpowiadające na pytania: kto, co, kiedy, gdzie, dlaczego.
- Rozwinięcie: szczegóły, cytat osoby z organizacji, liczby.
- Na końcu: kilka zdań o organizacji i dane osoby do kontaktu dla dziennikarzy.
- Wyślij notę co najmniej 7 dni przed wydarzeniem; zdjęcia dołącz jako osobne pliki.

Jeśli potrzebujesz pomocy w dotarciu do mediów lub chcesz uzyskać patronat medialny, skorzystaj z [formularza współpracy w promocji](/wspolpraca/promocja).
"#;

const GUIDES_EN: &str = r#"Tips and templates to help organisations tell others about their work. Files to download are listed below.

## A short note about a project or event

- Start with the essentials: **what, when, where, for whom**.
- Make the first sentence inviting – say what participants will gain.
- Use plain language and short sentences; avoid abbreviations.
- Add a contact and registration details; for a poster, alternative text (what the picture shows).
- 600–1000 characters are enough.

## A press release

- A headline (up to 10 words) and a lead – 2–3 sentences answering who, what, when, where, why.
- The body: details, a quote from someone in the organisation, figures.
- At the end: a few sentences about the organisation and a contact person for journalists.
- Send it at least 7 days before the event; attach photos as separate files.

If you need help reaching the media or would like a media patronage, use the [promotion request form](/wspolpraca/promocja).
"#;

const A11Y_PL: &str = r#"{office} zobowiązuje się zapewnić dostępność swojego serwisu internetowego zgodnie z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych. Deklaracja dostępności dotyczy zakładki „Organizacje pozarządowe (NGO)”.

- Data publikacji serwisu: 2 grudnia 2026 r.
- Data ostatniej istotnej aktualizacji: 2 grudnia 2026 r.

## Stan dostępności cyfrowej

Serwis jest **w pełni zgodny** z załącznikiem do ustawy (standard WCAG 2.1 na poziomie AA).

Treści dodawane przez organizacje (opisy, plakaty, załączniki) mogą nie być w pełni dostępne – prosimy autorów o tekst alternatywny do obrazów i o dostępne pliki; niedostępne pliki udostępniamy na żądanie w innej formie.

## Przygotowanie deklaracji dostępności

- Deklarację sporządzono dnia: 2 grudnia 2026 r.
- Deklarację ostatnio przejrzano i zaktualizowano dnia: 2 grudnia 2026 r.
- Deklarację sporządzono na podstawie samooceny przeprowadzonej przez podmiot publiczny, wspartej automatycznymi testami (axe-core) każdej strony w trybie zwykłym, wysokiego kontrastu i powiększonego tekstu.

## Ułatwienia w serwisie

- Link „Przejdź do treści” na początku każdej strony.
- Przełącznik rozmiaru tekstu i tryb wysokiego kontrastu w górnym pasku.
- Pełna obsługa z klawiatury z widocznym fokusem; serwis działa bez JavaScriptu.
- Kalendarz wydarzeń w formacie iCalendar do dodania w dowolnym programie.

## Informacje zwrotne i dane kontaktowe

W przypadku problemów z dostępnością serwisu prosimy o kontakt. Osobą kontaktową jest koordynator do spraw dostępności, e-mail: {email}, telefon: {phone}. Tą samą drogą można składać wnioski o udostępnienie informacji niedostępnej oraz składać skargi na brak zapewnienia dostępności.

## Żądanie zapewnienia dostępności

Każdy ma prawo do wystąpienia z żądaniem zapewnienia dostępności cyfrowej strony internetowej lub jej elementu. Można także zażądać udostępnienia informacji za pomocą alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo dokumentu, opisanie zawartości filmu bez audiodeskrypcji itp.

Żądanie powinno zawierać dane osoby zgłaszającej żądanie, wskazanie, o którą stronę lub element strony chodzi, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji za pomocą alternatywnego sposobu dostępu, powinna także określić dogodny dla niej sposób przedstawienia tej informacji.

Podmiot publiczny powinien zrealizować żądanie niezwłocznie, nie później niż w ciągu **7 dni** od dnia wystąpienia z żądaniem. Jeżeli dotrzymanie tego terminu nie jest możliwe, podmiot publiczny niezwłocznie informuje o tym wnoszącego żądanie, kiedy realizacja żądania będzie możliwa, przy czym termin ten nie może być dłuższy niż **2 miesiące** od dnia wystąpienia z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny może zaproponować alternatywny sposób dostępu do informacji.

## Skargi

W przypadku, gdy podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub alternatywnego sposobu dostępu do informacji, wnoszący żądanie może złożyć **skargę** w sprawie zapewniania dostępności cyfrowej strony internetowej lub elementu strony internetowej (adres: {address}, e-mail: {email}).

Po wyczerpaniu wskazanej wyżej procedury można także złożyć wniosek do [Rzecznika Praw Obywatelskich](https://bip.brpo.gov.pl/).

## Dostępność architektoniczna

*Uzupełnij opis budynku urzędu:* wejście główne od strony Rynku (podjazd dla wózków, drzwi otwierane automatycznie), winda na wszystkie piętra, toaleta dostosowana do potrzeb osób z niepełnosprawnościami na parterze, miejsca parkingowe dla osób z niepełnosprawnościami przy budynku. Do budynku można wejść z psem asystującym i psem przewodnikiem. W punkcie obsługi dostępna jest pętla indukcyjna; na spotkanie z tłumaczem polskiego języka migowego (PJM) prosimy umówić się co najmniej 3 dni robocze wcześniej.

## Aplikacje mobilne

Urząd nie udostępnia aplikacji mobilnych tego serwisu.
"#;

const A11Y_EN: &str = r#"{office} is committed to making its website accessible in accordance with the Polish Act of 4 April 2019 on the digital accessibility of websites and mobile applications of public bodies. This statement applies to the NGO zone of the town's website.

- Publication date of the website: 2 December 2026.
- Date of the last significant update: 2 December 2026.

## Compliance status

This website is **fully compliant** with the annex to the Act (WCAG 2.1 level AA).

Content added by organisations (descriptions, posters, attachments) may not be fully accessible – we ask authors for alternative text and accessible files, and provide inaccessible files in another form on request.

## Preparation of this statement

- This statement was prepared on 2 December 2026.
- It was last reviewed and updated on 2 December 2026.
- It is based on a self-assessment by the public body, supported by automated tests (axe-core) of every page in normal, high-contrast and large-text modes.

## Accessibility features

- A “Skip to content” link at the top of every page.
- A text size switch and a high-contrast mode in the top bar.
- Full keyboard operation with a visible focus; the site works without JavaScript.
- An iCalendar feed of events for any calendar program.

## Feedback and contact details

If you have problems with the accessibility of this website, please contact the accessibility coordinator: e-mail {email}, phone {phone}. Requests for inaccessible information and complaints about lack of accessibility can be sent the same way.

## The right to demand accessibility

Everyone has the right to demand digital accessibility of a website or part of it, or access to information by an alternative means, e.g. reading out an inaccessible document or describing a film without audio description.

A request should include the requester's details, the page or element concerned and how to contact the requester. If information by an alternative means is requested, please say which form suits you.

The public body fulfils the request without delay, no later than **7 days** after it is made. If that is not possible, it tells the requester when the request will be fulfilled, within at most **2 months**. If digital accessibility cannot be ensured, it may offer an alternative means of access.

## Complaints

If the public body refuses a request for accessibility or for an alternative means of access, the requester may file a **complaint** about ensuring digital accessibility (address: {address}, e-mail: {email}).

After that procedure, an application may also be filed with the [Commissioner for Human Rights](https://bip.brpo.gov.pl/).

## Architectural accessibility

*Describe the office building:* main entrance from the Market Square (ramp, automatic door), a lift to every floor, an accessible toilet on the ground floor, parking spaces for people with disabilities next to the building. Assistance dogs and guide dogs are welcome. An induction loop is available at the service desk; please book a Polish Sign Language (PJM) interpreter at least 3 working days in advance.

## Mobile applications

The office provides no mobile applications for this website.
"#;
