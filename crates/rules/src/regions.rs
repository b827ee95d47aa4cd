//! Provider region ids and where they are. Default: Alibaba Cloud's public regions, as the
//! seed documents describe Alibaba; a provider with other ids passes its own table in its
//! policy ([`crate::eligibility::ProviderPolicy::regions`]).

use crate::types::Province;

/// (region id, place) for the default provider.
pub const DEFAULT_REGIONS: &[(&str, Province)] = &[
    ("cn-qingdao", Province::Shandong),
    ("cn-beijing", Province::Beijing),
    ("cn-zhangjiakou", Province::Hebei),
    ("cn-huhehaote", Province::InnerMongolia),
    ("cn-wulanchabu", Province::InnerMongolia),
    ("cn-hangzhou", Province::Zhejiang),
    ("cn-shanghai", Province::Shanghai),
    ("cn-nanjing", Province::Jiangsu),
    ("cn-fuzhou", Province::Fujian),
    ("cn-shenzhen", Province::Guangdong),
    ("cn-heyuan", Province::Guangdong),
    ("cn-guangzhou", Province::Guangdong),
    ("cn-chengdu", Province::Sichuan),
    ("cn-wuhan", Province::Hubei),
    ("cn-hongkong", Province::HongKong),
    ("ap-southeast-1", Province::Overseas),
    ("us-west-1", Province::Overseas),
    ("eu-central-1", Province::Overseas),
];
