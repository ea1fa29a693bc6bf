//! The states and kinds the contests store as text, each typed once.

crate::db::db_enum! {
    /// Whether the public sees a contest and may take part: only an open
    /// contest takes registrations, starts, saves and hand-ins; a paused one
    /// stays visible while play stops.
    pub enum ContestStatus { Draft = "draft", Open = "open", Paused = "paused", Closed = "closed" }
}

impl ContestStatus {
    pub fn is_open(&self) -> bool {
        *self == Self::Open
    }

    pub fn is_draft(&self) -> bool {
        *self == Self::Draft
    }
}

crate::db::db_enum! {
    /// Where a round's results stand: none yet, proposed, or public.
    pub enum RoundStatus { Scheduled = "scheduled", Ranked = "ranked", Published = "published" }
}

impl RoundStatus {
    pub fn is_scheduled(&self) -> bool {
        *self == Self::Scheduled
    }
}

crate::db::db_enum! {
    /// A line of the results: a person's prize or one of the two
    /// collective prizes (most participants, highest participation rate).
    pub enum ResultKind { Individual = "individual", Most = "most", Rate = "rate" }
}

impl ResultKind {
    pub fn is_individual(&self) -> bool {
        *self == Self::Individual
    }
}

crate::db::db_enum! {
    /// The prediction question of a contest, as stored and as the form
    /// offers it ("none" when the contest asks none).
    pub enum PredictionSetting { None = "none", Participants = "participants", Perfect = "perfect" }
}

impl PredictionSetting {
    pub fn rules(self) -> Option<kehoach_contest::Prediction> {
        match self {
            Self::None => None,
            Self::Participants => Some(kehoach_contest::Prediction::Participants),
            Self::Perfect => Some(kehoach_contest::Prediction::PerfectAttempts),
        }
    }

    pub fn of(p: Option<kehoach_contest::Prediction>) -> Self {
        match p {
            None => Self::None,
            Some(kehoach_contest::Prediction::Participants) => Self::Participants,
            Some(kehoach_contest::Prediction::PerfectAttempts) => Self::Perfect,
        }
    }
}

crate::db::db_enum! {
    /// The attempt policy as the office's form names it; the count of
    /// "at most" is a field of its own.
    pub enum PolicyChoice { Unlimited = "unlimited", Once = "once", AtMost = "at-most" }
}

crate::db::db_enum! {
    /// A registration field an office may require (the full name always is).
    pub enum RegistrationField {
        BirthYear = "birth_year",
        Phone = "phone",
        IdNumber = "id_number",
        Locality = "locality",
        Workplace = "workplace",
    }
}

crate::db::db_enum! {
    /// What a round is: a weekly round anyone registered may play, or the
    /// final, played online by the finalists or scored by a jury.
    pub enum RoundStage { Weekly = "weekly", FinalOnline = "final-online", FinalJury = "final-jury" }
}

impl RoundStage {
    pub fn is_final(&self) -> bool {
        *self != Self::Weekly
    }
}
