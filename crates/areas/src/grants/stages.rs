//! Where an offer stands on its way through a call (issue 18, item 7): submission, the formal
//! check, the commission, the decision, the update of a reduced grant, the contract. One pure
//! function reads the offer's and the call's states, so the organisation's offer page and the
//! officer's overview say the same thing.

use crate::grants::entity::grant_call::Status as CallStatus;
use crate::grants::entity::grant_offer::Status;

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submission,
    FormalCheck,
    Commission,
    Decision,
    /// Only for an offer granted less than it asked.
    Update,
    /// Grants III.
    Contract,
    /// A small grant (art. 19a): the office publishes the offer…
    Publication,
    /// …and anyone may comment for 7 days.
    Comments,
}

impl Step {
    /// Fluent id of the step's name.
    pub fn label(self) -> &'static str {
        match self {
            Step::Submission => "stage-submission",
            Step::FormalCheck => "stage-formal",
            Step::Commission => "stage-commission",
            Step::Decision => "stage-decision",
            Step::Update => "stage-update",
            Step::Contract => "stage-contract",
            Step::Publication => "stage-publication",
            Step::Comments => "stage-comments",
        }
    }
}

/// How far a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Done,
    /// Under way now: the step the offer waits in.
    Current,
    Upcoming,
    /// Ended the offer's way (formally rejected, not granted, declined, withdrawn).
    Ended,
}

impl State {
    /// Fluent id of the state's words (shown as text, not only as a colour).
    pub fn label(self) -> &'static str {
        match self {
            State::Done => "stage-state-done",
            State::Current => "stage-state-current",
            State::Upcoming => "stage-state-upcoming",
            State::Ended => "stage-state-ended",
        }
    }
}

/// The steps of an offer with their states. `had_update`: the offer was granted less than it
/// asked (an update task exists), so the update step is shown.
pub fn of(offer: Status, call: CallStatus, had_update: bool) -> Vec<(Step, State)> {
    use State::*;
    use Status as S;
    let annulled = call == CallStatus::Annulled;
    // How many steps are done, and how the next one is.
    let (done, next) = match offer {
        S::Draft => (0, if annulled { Ended } else { Current }),
        S::Withdrawn => (0, Ended),
        S::Submitted | S::InCorrection | S::Corrected => {
            let checking = !matches!(call, CallStatus::Announced | CallStatus::Open | CallStatus::Draft);
            (1, if annulled { Ended } else if checking { Current } else { Upcoming })
        }
        S::Rejected => (1, Ended),
        S::Complete => (2, if annulled { Ended } else { Current }),
        S::NotGranted => (3, Ended),
        S::Updating | S::UpdateSubmitted => (4, Current),
        S::Declined => (4, Ended),
        S::Granted if had_update => (5, Current),
        S::Granted => (4, Current),
        // A small grant's state (`of_small`); in a call it would stand where the commission does.
        S::Published => (2, Current),
    };
    let mut steps = vec![Step::Submission, Step::FormalCheck, Step::Commission, Step::Decision];
    if had_update {
        steps.push(Step::Update);
    }
    steps.push(Step::Contract);
    // The contract is Grants III: "current" here means the office prepares it.
    mark(steps, done, next)
}

/// The steps of a small grant's offer (art. 19a): submission, publication, comments, the
/// decision, the contract.
pub fn of_small(offer: Status) -> Vec<(Step, State)> {
    use State::*;
    use Status as S;
    let (done, next) = match offer {
        S::Withdrawn => (0, Ended),
        S::Submitted => (1, Current),
        S::Published => (2, Current),
        S::NotGranted => (3, Ended),
        S::Granted => (4, Current),
        _ => (0, Current),
    };
    let steps = vec![Step::Submission, Step::Publication, Step::Comments, Step::Decision, Step::Contract];
    mark(steps, done, next)
}

/// Each step's state: those before `done` are done, the one at `done` is `next`.
fn mark(steps: Vec<Step>, done: usize, next: State) -> Vec<(Step, State)> {
    use State::*;
    steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            let state = match i.cmp(&done) {
                std::cmp::Ordering::Less => Done,
                std::cmp::Ordering::Equal => next,
                std::cmp::Ordering::Greater if next == Ended => Ended,
                std::cmp::Ordering::Greater => Upcoming,
            };
            (step, state)
        })
        .collect()
}

/// The step the offer stands at: the current one, else the one that ended its way, else the
/// last done.
pub fn current(steps: &[(Step, State)]) -> Option<(Step, State)> {
    steps
        .iter()
        .find(|(_, s)| *s == State::Current)
        .or_else(|| steps.iter().find(|(_, s)| *s == State::Ended))
        .or_else(|| steps.iter().rev().find(|(_, s)| *s == State::Done))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use State::*;

    fn states(offer: Status, call: CallStatus, had_update: bool) -> Vec<State> {
        of(offer, call, had_update).into_iter().map(|(_, s)| s).collect()
    }

    #[test]
    fn the_way_of_an_offer() {
        assert_eq!(states(Status::Draft, CallStatus::Open, false), [Current, Upcoming, Upcoming, Upcoming, Upcoming]);
        assert_eq!(states(Status::Submitted, CallStatus::Open, false), [Done, Upcoming, Upcoming, Upcoming, Upcoming]);
        assert_eq!(states(Status::Submitted, CallStatus::Closed, false), [Done, Current, Upcoming, Upcoming, Upcoming]);
        assert_eq!(states(Status::Rejected, CallStatus::InEvaluation, false), [Done, Ended, Ended, Ended, Ended]);
        assert_eq!(states(Status::Complete, CallStatus::InEvaluation, false), [Done, Done, Current, Upcoming, Upcoming]);
        assert_eq!(states(Status::NotGranted, CallStatus::Decided, false), [Done, Done, Done, Ended, Ended]);
        assert_eq!(states(Status::Granted, CallStatus::Decided, false), [Done, Done, Done, Done, Current]);
        assert_eq!(
            states(Status::Updating, CallStatus::Decided, true),
            [Done, Done, Done, Done, Current, Upcoming]
        );
        assert_eq!(states(Status::Declined, CallStatus::Decided, true), [Done, Done, Done, Done, Ended, Ended]);
        assert_eq!(states(Status::Granted, CallStatus::Decided, true), [Done, Done, Done, Done, Done, Current]);
        assert_eq!(states(Status::Complete, CallStatus::Annulled, false), [Done, Done, Ended, Ended, Ended]);
        assert_eq!(
            current(&of(Status::Complete, CallStatus::InEvaluation, false)),
            Some((Step::Commission, Current))
        );
        assert_eq!(current(&of(Status::Rejected, CallStatus::Decided, false)), Some((Step::FormalCheck, Ended)));
    }
}
