//! Genesys Cloud regions and the API and login hosts they imply.
//!
//! Source: API-FACTS §1 (JS SDK `PureCloudRegionHosts.js`, Go SDK `configuration.go`,
//! terraform-provider-genesyscloud `provider.go`).

use std::fmt;
use std::str::FromStr;

/// The 18 Genesys Cloud regions as `(AWS region, domain)` pairs.
pub const REGIONS: [(&str, &str); 18] = [
    ("us-east-1", "mypurecloud.com"),
    ("us-east-2", "use2.us-gov-pure.cloud"),
    ("us-west-2", "usw2.pure.cloud"),
    ("ca-central-1", "cac1.pure.cloud"),
    ("sa-east-1", "sae1.pure.cloud"),
    ("mx-central-1", "mxc1.pure.cloud"),
    ("eu-west-1", "mypurecloud.ie"),
    ("eu-west-2", "euw2.pure.cloud"),
    ("eu-central-1", "mypurecloud.de"),
    ("eu-central-2", "euc2.pure.cloud"),
    ("eusc-de-east-1", "edee1.eusc-pure.cloud"),
    ("me-central-1", "mec1.pure.cloud"),
    ("ap-south-1", "aps1.pure.cloud"),
    ("ap-southeast-1", "apse1.pure.cloud"),
    ("ap-southeast-2", "mypurecloud.com.au"),
    ("ap-northeast-1", "mypurecloud.jp"),
    ("ap-northeast-2", "apne2.pure.cloud"),
    ("ap-northeast-3", "apne3.pure.cloud"),
];

/// One Genesys Cloud region, identified by its domain (for example `mypurecloud.ie`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    aws: &'static str,
    domain: &'static str,
}

impl Region {
    /// The region's domain, such as `mypurecloud.ie`.
    pub fn domain(&self) -> &'static str {
        self.domain
    }

    /// The AWS region the Genesys region runs in, such as `eu-west-1`.
    pub fn aws_region(&self) -> &'static str {
        self.aws
    }

    /// The Platform API base URL: `https://api.<domain>`.
    pub fn api_base_url(&self) -> String {
        format!("https://api.{}", self.domain)
    }

    /// The OAuth login base URL: `https://login.<domain>`.
    pub fn login_base_url(&self) -> String {
        format!("https://login.{}", self.domain)
    }

    /// Every known region, in the order of [`REGIONS`].
    pub fn all() -> impl Iterator<Item = Region> {
        REGIONS.iter().map(|&(aws, domain)| Region { aws, domain })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.domain)
    }
}

/// A region name that matches no known domain or AWS region.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown Genesys Cloud region `{0}`\nhint: use a region domain such as mypurecloud.ie or usw2.pure.cloud, or an AWS region name such as eu-west-1"
)]
pub struct UnknownRegion(pub String);

impl FromStr for Region {
    type Err = UnknownRegion;

    /// Accepts a domain (`mypurecloud.ie`), an AWS region (`eu-west-1`), or a host
    /// such as `api.mypurecloud.ie` or `https://apps.mypurecloud.ie`, since people
    /// paste what their browser shows.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let trimmed = input.trim().trim_end_matches('/').to_ascii_lowercase();
        let host = trimmed.strip_prefix("https://").unwrap_or(trimmed.as_str());
        let host = ["api.", "login.", "apps."]
            .iter()
            .find_map(|prefix| host.strip_prefix(prefix))
            .unwrap_or(host);
        Region::all()
            .find(|region| region.domain == host || region.aws == host)
            .ok_or_else(|| UnknownRegion(input.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_maps_to_api_and_login_hosts() {
        assert_eq!(Region::all().count(), 18);
        for region in Region::all() {
            assert_eq!(
                region.api_base_url(),
                format!("https://api.{}", region.domain())
            );
            assert_eq!(
                region.login_base_url(),
                format!("https://login.{}", region.domain())
            );
        }
    }

    #[test]
    fn parses_domains_aws_names_and_pasted_hosts() {
        let ie: Region = "mypurecloud.ie".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ie.aws_region(), "eu-west-1");
        for spelling in [
            "eu-west-1",
            "api.mypurecloud.ie",
            "https://apps.mypurecloud.ie/",
            " MyPureCloud.IE ",
        ] {
            assert_eq!(spelling.parse::<Region>(), Ok(ie), "{spelling}");
        }
        // Prefix matching must not confuse mypurecloud.com with mypurecloud.com.au.
        let au: Region = "mypurecloud.com.au"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(au.aws_region(), "ap-southeast-2");
        assert!("api.genesyscloud.com".parse::<Region>().is_err());
    }
}
