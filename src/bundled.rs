//! Question banks and the metric library shipped inside the binary.

/// (file name, text) of each bundled question bank, in listing order.
pub const FRAMEWORKS: &[(&str, &str)] = &[
    (
        "panel-2023-24.toml",
        include_str!("../audits/frameworks/panel-2023-24.toml"),
    ),
    (
        "panel-2022-23.toml",
        include_str!("../audits/frameworks/panel-2022-23.toml"),
    ),
    (
        "local-learning.toml",
        include_str!("../audits/frameworks/local-learning.toml"),
    ),
    (
        "csa-family-2024.toml",
        include_str!("../audits/frameworks/csa-family-2024.toml"),
    ),
    (
        "race-racism-2025.toml",
        include_str!("../audits/frameworks/race-racism-2025.toml"),
    ),
    (
        "disabled-residential-2023.toml",
        include_str!("../audits/frameworks/disabled-residential-2023.toml"),
    ),
    (
        "cce-2020.toml",
        include_str!("../audits/frameworks/cce-2020.toml"),
    ),
    (
        "section-11.toml",
        include_str!("../audits/frameworks/section-11.toml"),
    ),
    (
        "reforms-2026.toml",
        include_str!("../audits/frameworks/reforms-2026.toml"),
    ),
    (
        "arrangements-2023.toml",
        include_str!("../audits/frameworks/arrangements-2023.toml"),
    ),
    (
        "cp-england-2022.toml",
        include_str!("../audits/frameworks/cp-england-2022.toml"),
    ),
    (
        "ehe-2024.toml",
        include_str!("../audits/frameworks/ehe-2024.toml"),
    ),
];

pub const METRIC_LIBRARY: &str = include_str!("../audits/metrics/library.toml");
