//! Readable names for visitors who did not give one, such as "Amber Falcon".

const ADJECTIVES: [&str; 16] = [
    "Amber", "Bright", "Calm", "Clever", "Coral", "Gentle", "Golden", "Jolly", "Lucky", "Misty", "Nimble", "Quiet",
    "Rapid", "Silver", "Sunny", "Swift",
];
const ANIMALS: [&str; 16] = [
    "Badger", "Crane", "Dolphin", "Falcon", "Fox", "Heron", "Koala", "Lynx", "Marten", "Otter", "Owl", "Panda",
    "Puffin", "Robin", "Seal", "Wren",
];

/// A name picked by two random bytes.
pub fn readable_name(random: [u8; 2]) -> String {
    let adjective = ADJECTIVES[usize::from(random[0]) % ADJECTIVES.len()];
    let animal = ANIMALS[usize::from(random[1]) % ANIMALS.len()];
    format!("{adjective} {animal}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_two_capitalised_words() {
        assert_eq!(readable_name([0, 0]), "Amber Badger");
        assert_eq!(readable_name([255, 17]), "Swift Crane");
        let name = readable_name([7, 9]);
        assert!(name
            .split(' ')
            .all(|word| word.chars().next().is_some_and(char::is_uppercase)));
    }
}
