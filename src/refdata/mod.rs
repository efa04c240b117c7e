//! Reference data and the readers of the codes and dates that refer to it: tariff
//! codes as traders write them ([`hs`]) and calendar dates ([`date`]). Country and
//! currency tables are in [`crate::reference`].

pub mod date;
pub mod hs;
