// The Storage module; its sources arrive with its first work item.
