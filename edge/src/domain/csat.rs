//! Customer satisfaction surveys: one per conversation, answered 1 to 5 within 14 days.

use nimchat_shared::wire::CsatSurveyResponse;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::input::Fields;

/// How long after the survey was sent the visitor may still answer.
pub const ANSWER_WINDOW_SECONDS: i64 = 14 * 24 * 60 * 60;

pub const SURVEY_CONTENT: &str = "Please rate the conversation";

/// Reads `{rating, feedback_message}`; the rating must be an integer from 1 to 5.
pub fn parse_response(value: &Value) -> ApiResult<CsatSurveyResponse> {
    let Value::Object(map) = value else {
        return Err(ApiError::invalid(
            "csat_survey_response",
            "Csat survey response must be an object",
        ));
    };
    let rating = match map.get("rating") {
        Some(Value::Number(number)) => number.as_u64().filter(|rating| (1..=5).contains(rating)),
        _ => None,
    };
    let rating = rating.ok_or_else(|| ApiError::invalid("rating", "Rating must be an integer from 1 to 5"))?;
    Ok(CsatSurveyResponse {
        rating: rating as u8,
        feedback_message: Fields::new(map).text("feedback_message", 10_000)?,
    })
}

/// 422 once the window has passed.
pub fn check_window(survey_created_at: i64, now: i64) -> ApiResult<()> {
    if now - survey_created_at > ANSWER_WINDOW_SECONDS {
        Err(ApiError::invalid(
            "csat_survey_response",
            "You cannot update the CSAT survey after 14 days",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ratings_are_integers_from_one_to_five() {
        for rating in 1..=5 {
            assert_eq!(parse_response(&json!({"rating": rating})).unwrap().rating, rating);
        }
        for bad in [
            json!({"rating": 0}),
            json!({"rating": 6}),
            json!({"rating": 4.5}),
            json!({"rating": "5"}),
            json!({}),
            json!([5]),
        ] {
            assert_eq!(parse_response(&bad).unwrap_err().status(), 422, "{bad}");
        }
    }

    #[test]
    fn feedback_is_optional_text() {
        let answer = parse_response(&json!({"rating": 4, "feedback_message": "Quick, thanks"})).unwrap();
        assert_eq!(answer.feedback_message.as_deref(), Some("Quick, thanks"));
        assert!(parse_response(&json!({"rating": 4, "feedback_message": 3})).is_err());
    }

    #[test]
    fn the_window_is_fourteen_days() {
        let sent = 1_000_000;
        assert!(check_window(sent, sent + ANSWER_WINDOW_SECONDS).is_ok());
        let late = check_window(sent, sent + ANSWER_WINDOW_SECONDS + 1).unwrap_err();
        assert_eq!(
            late.body()["message"],
            "You cannot update the CSAT survey after 14 days"
        );
    }
}
