//! Time from the platform: Unix seconds, and the local weekday and minute in a time zone
//! (through the runtime's `Intl`, which carries the tz database the Worker need not ship).

use worker::js_sys::{global, Array, Date, Function, Object, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};

pub fn now() -> i64 {
    (Date::now() / 1000.0) as i64
}

/// `(weekday with 0 = Sunday, minute of the day)` now in `time_zone`; `None` for a zone the
/// runtime does not know. Every JS call here catches, so bad input cannot abort the Worker.
pub fn local_weekday_and_minute(time_zone: &str) -> Option<(u8, u16)> {
    let get = |target: &JsValue, key: &str| Reflect::get(target, &JsValue::from_str(key)).ok();
    let options = Object::new();
    for (key, value) in [
        ("timeZone", time_zone),
        ("weekday", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let constructor: Function = get(&get(&global(), "Intl")?, "DateTimeFormat")?.dyn_into().ok()?;
    let arguments = Array::of2(&"en-US".into(), &options);
    let format = Reflect::construct(&constructor, &arguments).ok()?;
    let format_to_parts: Function = get(&format, "formatToParts")?.dyn_into().ok()?;
    let parts: Array = format_to_parts.call1(&format, &Date::new_0()).ok()?.dyn_into().ok()?;
    let part = |kind: &str| {
        parts.iter().find_map(|part| {
            let part_kind = get(&part, "type")?.as_string()?;
            if part_kind == kind {
                get(&part, "value")?.as_string()
            } else {
                None
            }
        })
    };
    let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        .iter()
        .position(|day| Some(*day) == part("weekday").as_deref())? as u8;
    let hour: u16 = part("hour")?.parse().ok()?;
    let minute: u16 = part("minute")?.parse().ok()?;
    Some((weekday, hour % 24 * 60 + minute))
}
