pub mod slow;
