// The Plotting module; its sources arrive with its first work item.
