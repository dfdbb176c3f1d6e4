//! Symmetry reduction: set partitions and Young fixed spaces ([`crate::model::partition`]), and the
//! isotypic decomposition of the Hessian computed from refinements ([`components`]).

pub mod components;
pub mod permgroup;
