//! Writing and editing the partnership's own files on its behalf, keeping what it wrote: a new
//! audit folder (`init`), a new cycle in one (`init --cycle`), and a sign-off with the record
//! of what changed after it (`signoff`, and `import --force` into a signed-off cycle).

pub(crate) mod new_cycle;
pub(crate) mod scaffold;
pub(crate) mod signoff;
