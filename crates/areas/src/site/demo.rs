//! Demo data of the site: the fictional office of Wierzbin in the site settings.

use wspolnie_platform::settings;
use crate::demo::{DemoStep, Seed};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        0
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
    settings::set(s.txn, "site.city_name", "Wierzbin").await?;
    settings::set(s.txn, "site.office_name", "Urząd Miejski w Wierzbinie").await?;
    settings::set(s.txn, "site.address", "ul. Rynek 1, 12-345 Wierzbin").await?;
    settings::set(s.txn, "site.phone", "+48 85 000 12 34").await?;
    settings::set(s.txn, "site.email", "ngo@wierzbin.example").await?;
    settings::set(
        s.txn,
        "site.email_footer",
        "Urząd Miejski w Wierzbinie · Pełnomocnik ds. współpracy z organizacjami pozarządowymi · Zakładka „Organizacje pozarządowe (NGO)” na stronie miasta: kalendarz wydarzeń, baza organizacji, konkursy.",
    )
    .await?;
    // English texts for visitors who chose English (an empty one shows the Polish text).
    settings::set(s.txn, "site.office_name.en", "Wierzbin Town Hall").await?;
    settings::set(s.txn, "site.zone_name.en", "Non-governmental organisations (NGOs)").await?;
    settings::set(s.txn, "site.office_hours.en", "Mon–Fri 8:00–16:00").await?;
    settings::set(
        s.txn,
        "site.email_footer.en",
        "Wierzbin Town Hall · NGO liaison officer · The “Non-governmental organisations (NGOs)” zone of the town's website: events, organisations, calls for proposals.",
    )
    .await?;

        Ok(())
    }
}
