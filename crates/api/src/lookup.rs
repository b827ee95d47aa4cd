//! The public lookup of filing records: by domain, ICP number or the subject's name, as the
//! MIIT's own query shows them — an individual's name as the surname only, the rest masked;
//! nothing about unfiled or cancelled records beyond finding none. No login; each lookup
//! counts against the address's attempts (the login throttle's), so the records cannot be
//! walked at speed.

use beian_rules::{Province, SubjectType};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// A filing record as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupRecord {
    /// The organisation's name; an individual's surname and a `*` per other character.
    pub subject_name: String,
    pub subject_type: Option<SubjectType>,
    pub icp_number: String,
    pub province: Province,
    /// `YYYY-MM-DD`.
    pub approved_on: String,
    pub websites: Vec<LookupWebsite>,
}

/// A website of a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupWebsite {
    pub name: String,
    pub domain: String,
    pub icp_number: String,
}

/// The answer of `lookup`: no record means not filed (or no longer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupAnswer {
    pub records: Vec<LookupRecord>,
}

/// The longest query, in characters.
pub const MAX_QUERY: usize = 253;

/// Looks up filing records by a domain (`example.com`, `www.example.com`), an ICP number
/// (`京ICP备2026000001号`, or a website's `…号-1`) or a subject's exact name.
#[server(prefix = "/api", endpoint = "lookup", input = crate::codec::Json)]
pub async fn lookup(query: String) -> Result<LookupAnswer, ApiError> {
    let query = query.trim().to_owned();
    if query.is_empty() || query.chars().count() > MAX_QUERY {
        return Err(ApiError::new(crate::ErrorCode::LookupQueryInvalid).at("query"));
    }
    crate::session::attempt(None).await?;
    let found = crate::session::store().lookup(&query).await?;
    Ok(LookupAnswer {
        records: found
            .into_iter()
            .map(|f| LookupRecord {
                subject_name: shown_name(&f.subject.name, f.subject.subject_type),
                subject_type: f.subject.subject_type,
                icp_number: f.icp_number,
                province: f.province,
                approved_on: f.approved_on,
                websites: f.websites.into_iter().map(|w| LookupWebsite { name: w.website.name, domain: w.website.domain, icp_number: w.website.icp_number }).collect(),
            })
            .collect(),
    })
}

/// Two-character surnames, kept whole when an individual's name is masked (the common ones
/// of the *Hundred Family Surnames*).
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤",
    "南宫", "西门", "百里", "呼延", "东郭", "闻人", "澹台", "公羊", "太史", "申屠", "万俟", "赫连", "濮阳", "淳于", "单于", "仲孙", "拓跋",
];

/// How the public sees a subject's name: an individual's as the surname and a `*` for each
/// other character; any other subject's whole.
pub fn shown_name(name: &str, subject_type: Option<SubjectType>) -> String {
    if subject_type != Some(SubjectType::Individual) {
        return name.to_owned();
    }
    let surname = COMPOUND_SURNAMES.iter().copied().find(|s| name.starts_with(s) && name.chars().count() > 2).map_or_else(
        || name.chars().next().map(String::from).unwrap_or_default(),
        str::to_owned,
    );
    let rest = name.chars().count() - surname.chars().count();
    format!("{surname}{}", "*".repeat(rest.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_individuals_name_shows_the_surname_only() {
        let individual = Some(SubjectType::Individual);
        assert_eq!(shown_name("张三", individual), "张*");
        assert_eq!(shown_name("王小明", individual), "王**");
        assert_eq!(shown_name("欧阳修文", individual), "欧阳**");
        // A two-character name that starts like a compound surname is a one-character surname.
        assert_eq!(shown_name("欧阳", individual), "欧*");
        assert_eq!(shown_name("李", individual), "李*");
        assert_eq!(shown_name("北京示例科技有限公司", Some(SubjectType::Enterprise)), "北京示例科技有限公司");
    }
}
