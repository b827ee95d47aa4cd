//! The encoding of the server functions' arguments: JSON in the request body, as server_fn's
//! own `Json`, except that the body is read as text. serde_json checks that a text is UTF-8
//! once; reading bytes, it checks every string of the body again, which was a fifth of the
//! cost of decoding an application. Answers keep server_fn's default JSON encoding.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON, decoded from the body as text.
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        match std::str::from_utf8(&bytes) {
            Ok(text) => serde_json::from_str(text),
            // Not UTF-8: serde_json's reader of bytes says where.
            Err(_) => serde_json::from_slice(&bytes),
        }
    }
}

/// Arguments as a JSON object in the body of a `POST` request.
pub type Json = Post<JsonText>;
