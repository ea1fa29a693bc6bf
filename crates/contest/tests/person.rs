//! Phone and identity number normalisation.

use kehoach_contest::{IdNumber, PersonError, Phone, normalise_id_number, normalise_phone};

#[test]
fn valid_phones() {
    let table: &[(&str, &str)] = &[
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("(091) 234-5678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("84 912 345 678", "0912345678"),
        (" 0351234567 ", "0351234567"),
        ("0561234567", "0561234567"),
        ("0771234567", "0771234567"),
        ("0861234567", "0861234567"),
        // Non-breaking and tab spaces, as pasted from spreadsheets.
        ("0912\u{a0}345\t678", "0912345678"),
        // A national number that itself begins with 84 after the 0.
        ("0845678901", "0845678901"),
    ];
    for &(input, expected) in table {
        let phone = normalise_phone(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(phone.as_str(), expected, "{input}");
        assert_eq!(phone.to_string(), expected);
    }
}

#[test]
fn invalid_phones() {
    let table: &[(&str, PersonError)] = &[
        ("", PersonError::PhoneFormat),
        ("   ", PersonError::PhoneFormat),
        ("091234567", PersonError::PhoneFormat),
        ("09123456789", PersonError::PhoneFormat),
        ("912345678", PersonError::PhoneFormat),
        ("8491234567", PersonError::PhoneFormat),
        ("+1 912 345 678", PersonError::PhoneFormat),
        ("+8491234567", PersonError::PhoneFormat),
        ("+849123456789", PersonError::PhoneFormat),
        ("0084912345678", PersonError::PhoneFormat),
        ("0912345678+", PersonError::PhoneCharacter('+')),
        ("09+12345678", PersonError::PhoneCharacter('+')),
        ("++84912345678", PersonError::PhoneCharacter('+')),
        ("0912/345/678", PersonError::PhoneCharacter('/')),
        ("0912345abc", PersonError::PhoneCharacter('a')),
        ("０９１２３４５６７８", PersonError::PhoneCharacter('０')),
        // Landline and unassigned prefixes.
        ("0212345678", PersonError::PhoneNotMobile),
        ("0112345678", PersonError::PhoneNotMobile),
        ("0412345678", PersonError::PhoneNotMobile),
        ("0612345678", PersonError::PhoneNotMobile),
        ("+84212345678", PersonError::PhoneNotMobile),
    ];
    for (input, error) in table {
        assert_eq!(normalise_phone(input).unwrap_err(), *error, "{input}");
    }
    assert_eq!(
        PersonError::PhoneFormat.to_string(),
        "Số điện thoại không hợp lệ: cần 10 chữ số, bắt đầu bằng 0 hoặc +84"
    );
}

#[test]
fn phone_masking() {
    let phone = normalise_phone("+84 912 345 678").unwrap();
    assert_eq!(phone.masked(), "091****678");
    // Debug never shows the full number, so it cannot leak through logs.
    assert_eq!(format!("{phone:?}"), "Phone(091****678)");
}

#[test]
fn valid_id_numbers() {
    let table: &[(&str, &str, bool)] = &[
        ("123456789", "123456789", false),
        ("001 099 012 345", "001099012345", true),
        ("001099012345", "001099012345", true),
        (" 079 203 000 123 ", "079203000123", true),
        ("012\u{a0}345\u{a0}678", "012345678", false),
    ];
    for &(input, expected, cccd) in table {
        let id = normalise_id_number(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(id.as_str(), expected);
        assert_eq!(id.is_cccd(), cccd);
    }
}

#[test]
fn invalid_id_numbers() {
    let table: &[(&str, PersonError)] = &[
        ("", PersonError::IdLength(0)),
        ("12345678", PersonError::IdLength(8)),
        ("1234567890", PersonError::IdLength(10)),
        ("12345678901", PersonError::IdLength(11)),
        ("1234567890123", PersonError::IdLength(13)),
        ("001-099-012-345", PersonError::IdCharacter('-')),
        ("001.099.012.345", PersonError::IdCharacter('.')),
        ("B1234567", PersonError::IdCharacter('B')),
    ];
    for (input, error) in table {
        assert_eq!(normalise_id_number(input).unwrap_err(), *error, "{input}");
    }
    assert_eq!(
        PersonError::IdLength(10).to_string(),
        "Số CMND/CCCD không hợp lệ: cần 9 chữ số (CMND) hoặc 12 chữ số (CCCD), nhận được 10 chữ số"
    );
}

#[test]
fn id_masking() {
    let cccd = normalise_id_number("001099012345").unwrap();
    assert_eq!(cccd.masked(), "*********345");
    let cmnd = normalise_id_number("123456789").unwrap();
    assert_eq!(cmnd.masked(), "******789");
    assert_eq!(format!("{cmnd:?}"), "IdNumber(******789)");
}

#[test]
fn validated_types_cannot_be_built_from_bad_strings() {
    assert!(Phone::try_from("0912345678".to_owned()).is_ok());
    assert!(Phone::try_from("123".to_owned()).is_err());
    assert!(IdNumber::try_from("123".to_owned()).is_err());
    assert_eq!(
        String::from(IdNumber::try_from("123 456 789".to_owned()).unwrap()),
        "123456789"
    );
}
