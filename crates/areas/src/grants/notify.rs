//! What announcing a call tells the world beyond its page: the calendar entry and, per
//! language, a mailing to the newsletter's subscribers of grant calls. Kept apart from
//! `public.rs` because the mailings area reads that file (the weekly digest's section of calls),
//! so the two areas never import each other in a circle.

use crate::grants::entity::grant_call;
use crate::grants::public::{NEWSLETTER_TOPIC, announcement_markdown, sync_calendar};
use crate::mailings::model::{Audience, MailingData};
use sea_orm::{ConnectionTrait, DbErr};
use wspolnie_platform::audit::Actor;
use wspolnie_platform::i18n::Lang;

/// What announcing a call sets in motion, on the announcing transaction: the calendar entry and,
/// per language, a mailing to the newsletter's subscribers of grant calls (its delivery job
/// queued on the same transaction, so it goes out only if the announcement commits).
pub async fn on_announce<C: ConnectionTrait>(
    db: &C,
    c: &grant_call::Model,
    public_url: &str,
) -> Result<(), DbErr> {
    sync_calendar(db, c).await?;
    let actor = Actor::system("grants.announce");
    for lang in Lang::ALL {
        let audience = Audience {
            topics: vec![NEWSLETTER_TOPIC.into()],
            subscriber_lang: Some(lang.code().into()),
            ..Default::default()
        };
        if crate::mailings::model::expand_audience(db, &audience, lang.code())
            .await?
            .is_empty()
        {
            continue;
        }
        let d = MailingData {
            subject: lang.ta("call-mail-subject", &[("title", &c.title)]),
            body: announcement_markdown(c, lang, public_url),
            lang: lang.code().into(),
            topics: audience.topics.clone(),
            ..Default::default()
        };
        let m = crate::mailings::model::save_draft(db, None, &d, &audience, None, &actor).await?;
        crate::mailings::model::order_send(db, &m, None, &actor).await?;
    }
    Ok(())
}
